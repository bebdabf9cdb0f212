export * from './types';
export * from './terms';
export * from './machine';
export * from './persistence';
export * from './deadlines';
export * from './reminders';
export * from './labels';
export * from '../calendar/calendar';
