import { Module } from '@nestjs/common';
import { NoticePreferencesRepository } from './notice-preferences.repository';

/** The notices' preferences alone, so a kind of case can filter its notices without the rest of notifications. */
@Module({ providers: [NoticePreferencesRepository], exports: [NoticePreferencesRepository] })
export class NoticePreferencesModule {}
