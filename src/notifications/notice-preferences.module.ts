import { Module } from '@nestjs/common';
import { NoticePreferencesController } from './notice-preferences.controller';
import { NoticePreferencesRepository } from './notice-preferences.repository';
import { NoticePreferencesService } from './notice-preferences.service';

/** Each person's choice of notices: the repository the kinds filter their notices with, and the API and service over it. */
@Module({ controllers: [NoticePreferencesController], providers: [NoticePreferencesRepository, NoticePreferencesService], exports: [NoticePreferencesRepository, NoticePreferencesService] })
export class NoticePreferencesModule {}
