import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AgreementTablesModule } from '@app/agreements/agreement-tables.module';
import { InboxPagesController } from './inbox-pages.controller';
import { InboxService } from './inbox.service';
import { NavCountMiddleware } from './nav-count.middleware';

/** Att göra: what waits for each person, its page and its count in every page's navigation. */
@Module({
  imports: [AgreementTablesModule],
  controllers: [InboxPagesController],
  providers: [InboxService, NavCountMiddleware],
  exports: [InboxService],
})
export class InboxModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(NavCountMiddleware).forRoutes('*');
  }
}
