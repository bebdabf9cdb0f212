import type { CalendarDate } from '../../workflows/calendar/calendar';

/**
 * The five IOPs' yearly reports on 2021, retold in our own words from the accounts in seed 002
 * (the committee's follow-up of 2021), shaped like the follow-up module's yearly report
 * (SubmitReportDto, table follow_up_report): the text and aggregate figures, never anything
 * about a person. Seed 002 gives only two figures (40 and 54 participants, marked "seed 002");
 * every other figure and the dates the reports arrived are invented (fiktiva), plausible for the
 * agreement (Hoppfull framtid: 40–80 participants a year on 40 places).
 */

export interface DemoYearlyReport {
  /** The agreement's key in DEMO_AGREEMENTS. */
  agreementKey: string;
  year: number;
  /** The idéburen party that reports, and who handed the report in (keys in DEMO_ORGANISATIONS and DEMO_PEOPLE). */
  organisationKey: string;
  submittedBy: string;
  receivedOn: CalendarDate;
  /** Paragraphs separated by a blank line. */
  text: string;
  participantsCount: number;
  gaProgressCount: number;
  outcomes: { work: number; studies: number; otherActivity: number; noChange: number };
  placesUsed: number;
  /** Null: the agreement's own number of places (none for some agreements). */
  placesAgreed: number | null;
}

export const DEMO_FOLLOW_UP_2021: DemoYearlyReport[] = [
  {
    agreementKey: 'hoppfull-framtid',
    year: 2021,
    organisationKey: 'stadsmissionen',
    submittedBy: 'stadsmissionen.samverkan',
    receivedOn: '2022-02-14',
    text:
      'Covid-19 präglade även 2021. Verksamheten följde Folkhälsomyndighetens råd med glesare möblering, ' +
      'färre gäster och besökare på samma gång och färre medarbetare samtidigt i personalutrymmena.\n\n' +
      'När kommunens deltagare inte längre fick vara på sina praktikplatser gjorde arbetsmarknadskonsulenten på AMC och ' +
      'arbetsledarna på Stadsmissionen nya planer för var och en och följde upp dem per telefon och videomöte. ' +
      'Arbets- och styrgruppen tog fram digitala insatser inriktade på olika branscher.',
    // fiktiva siffror
    participantsCount: 62,
    gaProgressCount: 31,
    outcomes: { work: 8, studies: 4, otherActivity: 11, noChange: 17 },
    placesUsed: 37,
    placesAgreed: null,
  },
  {
    agreementKey: 'bromodellen-2020',
    year: 2021,
    organisationKey: 'bilda',
    submittedBy: 'bilda.samverkan',
    receivedOn: '2022-02-21',
    text:
      'Pandemin påverkade fortsatt både anvisningarna och genomförandet, och första halvåret bedrevs verksamheten på distans. ' +
      'Distansutbildningen anpassades efter varje deltagare, med kontakt via e-post, telefon, sms, mms och digitala möten.\n\n' +
      'Bilda ser att deltagarnas digitala vana och förmåga att uttrycka sig i skrift har vuxit tydligt under omställningen, ' +
      'liksom studietekniken och förmågan att arbeta på egen hand.',
    // fiktiva siffror
    participantsCount: 48,
    gaProgressCount: 26,
    outcomes: { work: 5, studies: 6, otherActivity: 9, noChange: 12 },
    placesUsed: 35,
    placesAgreed: null,
  },
  {
    agreementKey: 'vi-ses',
    year: 2021,
    organisationKey: 'rodakorset',
    submittedBy: 'rodakorset.samverkan',
    receivedOn: '2022-02-28',
    text:
      'Under 2021 drevs föregångaren Språkvänner, som ställde om efter pandemin med språkcaféer på nätet och ' +
      'promenadsamtal utomhus när läget tillät.\n\n' +
      'Överenskommelsen om Språkvänner löpte ut 2021-12-31. Vi Ses! tar vid och gäller 2022-01-01–2023-12-31.',
    // Vi Ses! itself had no activity in 2021: it was signed in November and starts 2022-01-01.
    participantsCount: 0,
    gaProgressCount: 0,
    outcomes: { work: 0, studies: 0, otherActivity: 0, noChange: 0 },
    placesUsed: 0,
    placesAgreed: null,
  },
  {
    agreementKey: 'kompletterande-spraktraning',
    year: 2021,
    organisationKey: 'bilda',
    submittedBy: 'bilda.samverkan',
    receivedOn: '2022-02-18',
    text:
      '40 deltagare var inskrivna under 2021. Första halvåret var undervisningen digital; lärarna åkte också med minibuss ' +
      'ut till bostadsområdena med material, samtalade med mammorna, uppmuntrade dem och gav råd om hälsa.\n\n' +
      'Från den 1 september erbjöds undervisning på plats, anpassad efter smittläget, med en grupp i Berga, en i Ryd och två i ' +
      'Skäggetorp. Till det kom digitala lektioner två gånger i veckan.',
    participantsCount: 40, // seed 002
    // fiktiva siffror
    gaProgressCount: 16,
    outcomes: { work: 1, studies: 13, otherActivity: 3, noChange: 9 },
    placesUsed: 38,
    placesAgreed: null,
  },
  {
    agreementKey: 'inkludering-pa-lika-villkor',
    year: 2021,
    organisationKey: 'ikf',
    submittedBy: 'ikf.samverkan',
    receivedOn: '2022-02-25',
    text:
      '54 deltagare var inskrivna under 2021. Var och en har en egen handlingsplan och deltar en till fyra gånger i veckan i ' +
      'gruppaktiviteter med språk, samhällsinformation eller musik, eller i språkpraktik. Gympan gick inte att hålla igång ' +
      'regelbundet under pandemin.\n\n' +
      'Språkpraktiken via föreningen är handledd och ger deltagaren tillfälle att utveckla språket, stärka självkänslan och ' +
      'kontaktnätet och öva på att ta plats i offentliga sammanhang. Föreningen lade också stor vikt vid att informera om och ' +
      'svara på frågor om vaccination, och en familjepedagog gav stöd till tre familjer.',
    participantsCount: 54, // seed 002
    // fiktiva siffror; the agreement gives no number of places
    gaProgressCount: 19,
    outcomes: { work: 2, studies: 7, otherActivity: 8, noChange: 14 },
    placesUsed: 0,
    placesAgreed: null,
  },
];
