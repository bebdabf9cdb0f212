import { Global, Module } from '@nestjs/common';
import { ActorResolver } from './actor.resolver';

@Global()
@Module({ providers: [ActorResolver], exports: [ActorResolver] })
export class AuthModule {}
