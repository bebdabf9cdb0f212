import { localTimeInstant } from './calendar';
import { meetingInMonth, meetingsOf, nextMeetingOn, nextMeetingWithPapersOpen, validateMeeting, validatePlan, type CommitteeMeeting } from './meetings';

const meeting = (meetingId: string, date: string, papersDueOn: string, committee = 'Bildningsnämnden'): CommitteeMeeting => ({ meetingId, committee, date, papersDueOn });

const plan: CommitteeMeeting[] = [
  meeting('bin-12', '2018-12-18', '2018-12-04'),
  meeting('bin-09', '2018-09-25', '2018-09-11'),
  meeting('bin-06', '2018-06-19', '2018-06-05'),
  meeting('sn-09', '2018-09-20', '2018-09-06', 'Socialnämnden'),
  meeting('bin-12-extra', '2018-12-04', '2018-11-27'),
];

describe('the meeting calendar (sammanträdesplan)', () => {
  it('lists a committee\'s meetings earliest first', () => {
    expect(meetingsOf(plan, 'Bildningsnämnden').map((m) => m.meetingId)).toEqual(['bin-06', 'bin-09', 'bin-12-extra', 'bin-12']);
  });

  it('finds the committee\'s meeting of a month, the last when there are several, or null', () => {
    expect(meetingInMonth(plan, 'Bildningsnämnden', 2018, 9)?.meetingId).toBe('bin-09');
    expect(meetingInMonth(plan, 'Socialnämnden', 2018, 9)?.meetingId).toBe('sn-09');
    expect(meetingInMonth(plan, 'Bildningsnämnden', 2018, 12)?.meetingId).toBe('bin-12');
    expect(meetingInMonth(plan, 'Bildningsnämnden', 2018, 7)).toBeNull();
    expect(meetingInMonth(plan, 'Bildningsnämnden', 2019, 9)).toBeNull();
  });

  it('finds the next meeting on or after a day, and the next whose papers are still open', () => {
    expect(nextMeetingOn(plan, 'Bildningsnämnden', '2018-06-19')?.meetingId).toBe('bin-06');
    expect(nextMeetingOn(plan, 'Bildningsnämnden', '2018-06-20')?.meetingId).toBe('bin-09');
    expect(nextMeetingOn(plan, 'Bildningsnämnden', '2018-12-19')).toBeNull();
    expect(nextMeetingWithPapersOpen(plan, 'Bildningsnämnden', '2018-06-06')?.meetingId).toBe('bin-09');
  });

  it('says in Swedish what is wrong with a meeting', () => {
    expect(validateMeeting(plan[0])).toBeNull();
    expect(validateMeeting(meeting('x', '2018-06-19', '2018-06-19'))).toBe('Sista dag för handlingar (2018-06-19) måste infalla före sammanträdet (2018-06-19).');
    expect(validateMeeting(meeting('x', '2018-06-31', '2018-06-05'))).toContain('Sammanträdets datum är ogiltigt');
    expect(validateMeeting(meeting('x', '2018-06-19', 'snart'))).toContain('Sista dag för handlingar är ogiltig');
    expect(validateMeeting(meeting(' ', '2018-06-19', '2018-06-05'))).toBe('Sammanträdet saknar id.');
    expect(validateMeeting(meeting('x', '2018-06-19', '2018-06-05', ''))).toBe('Sammanträdet saknar nämnd.');
  });

  it('finds ids used twice in a plan', () => {
    expect(validatePlan(plan)).toEqual([]);
    expect(validatePlan([...plan, meeting('bin-06', '2018-06-20', '2018-06-06')])).toEqual(['Sammanträdet bin-06 finns två gånger i planen.']);
  });
});

describe('localTimeInstant', () => {
  it('gives 08:00 in Stockholm in winter and summer time, and on the days the clocks change', () => {
    expect(localTimeInstant('2018-01-15', 8)).toBe('2018-01-15T07:00:00.000Z');
    expect(localTimeInstant('2018-09-11', 8)).toBe('2018-09-11T06:00:00.000Z');
    expect(localTimeInstant('2018-03-25', 8)).toBe('2018-03-25T06:00:00.000Z');
    expect(localTimeInstant('2018-10-28', 8)).toBe('2018-10-28T07:00:00.000Z');
    expect(localTimeInstant('2018-10-28', 8, 30)).toBe('2018-10-28T07:30:00.000Z');
  });
});
