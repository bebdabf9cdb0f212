import type { NewTemplate, VisitParticipant } from './visits.repository';

/**
 * Demo data for committee visits. The template is seed 003 itself: its instructions, its
 * underlag and its questions as written (they are the form). The visit of 2023-06-07 is told in
 * our own words; every member and official named in it is fictional (fiktiva), and so are the
 * instants the template and the record were written.
 */

export const DEMO_VISIT_TEMPLATE: NewTemplate & { createdAt: string } = {
  verksamhetsinriktning: 'Arbetslik aktivitet',
  year: 2023,
  title: 'Dokumentationsmall nämndbesök; Arbetslik aktivitet',
  instructions:
    'Besöken genomförs av två ledamöter från majoriteten och två ledamöter från oppositionen samt av en tjänsteperson från ' +
    'nämndkansliet på Integrations- och arbetsmarknadsförvaltningen. Besöket leds av ledamöterna från majoriteten. ' +
    'Tjänstepersonen för anteckningar som redovisas för nämnden. Efter rådande omständigheter kan besöken genomföras utomhus, eller digitalt.',
  preparation: ['Bokslut och verksamhetsberättelse 2022', 'Budget 2023 med plan för 2024-2028', 'Verksamhetsstatistik'],
  questions: [
    {
      number: 1,
      text: 'På vilket sätt möter verksamhetsinriktningen möjligheten att ha individernas behov i centrum, i syfte att dessa ska kunna nå självförsörjning?',
      guidance: [
        'Hur har verksamhetsinriktningen organiserats i syfte att kunna bemöta och förstå individen och dess behov, förväntningar och motivation?',
        'På vilket sätt kvalitetssäkrar verksamhetsinriktningen att individens behov synliggörs och bemöts?',
      ],
    },
    {
      number: 2,
      text: 'Hur ser arbetet med handlingsplaner ut?',
      guidance: [
        'Hur säkerställs att handlingsplaner är uppdaterade?',
        'Vilka rutiner följs för att kvalitetssäkra handlingsplaner?',
        'Hur individens progression noteras och vad den innebär i praktiken, både för individen och för verksamheten?',
      ],
    },
    {
      number: 3,
      text: 'Hur ser samarbetet med andra verksamheter inom Linköpings kommun ut, i syfte att stärka individens förutsättningar att nå självförsörjning?',
      guidance: ['Hur ser samarbetet med t.ex. vuxenutbildningen, SOF och andra förvaltningar ut?'],
    },
    {
      number: 4,
      text: 'Hur samarbetar verksamhetsinriktningen med andra myndigheter, alternativt näringslivet och arbetsgivare utanför Linköpings kommun?',
      guidance: [
        'Det är viktigt att ta hänsyn till individens sammantagna livssituation. Ett samarbete för att få en helhetsbild och för att kunna fördela insatser krävs.',
        'Hur arbetar verksamhetsinriktningen för att nå andra myndigheter?',
        'Hur arbetar verksamhetsinriktningen för att nå potentiella arbetsgivare i syfte att tillskapa tillfällen för arbetsträning?',
      ],
    },
    {
      number: 5,
      text: 'Saknar verksamhetsinriktningen något från politiken i Linköpings kommun?',
      guidance: [
        'Om det finns några önskemål från verksamheten till arbetsmarknadsnämnden kan dessa beskrivas här.',
        'Finns det övrig information som verksamhetsinriktningen vill delge arbetsmarknadsnämnden?',
      ],
    },
  ],
  createdAt: '2023-05-15T09:00:00+02:00', // fiktivt
};

export interface DemoVisit {
  visitDate: string;
  /** When the secretariat wrote the record (fiktivt). */
  documentedAt: string;
  participants: VisitParticipant[];
  answers: Array<{ question: number; answer: string }>;
}

export const DEMO_VISIT: DemoVisit = {
  visitDate: '2023-06-07',
  documentedAt: '2023-06-12T10:00:00+02:00',
  participants: [
    // fiktiva ledamöter och tjänstepersoner
    { role: 'member', name: 'Ingrid Sjöberg', side: 'majority' },
    { role: 'member', name: 'Tomas Wallin', side: 'majority' },
    { role: 'member', name: 'Hanna Berglund', side: 'opposition' },
    { role: 'member', name: 'Omar Nilsson', side: 'opposition' },
    { role: 'official', name: 'Karin Ek', side: null },
    { role: 'official', name: 'Johan Berg', side: null },
  ],
  answers: [
    {
      question: 1,
      answer:
        'Deltagarna får parallella insatser efter behov inom heltidsaktiveringen, där Arena Arbetsmarknad ingår. ' +
        'En koordinator följer varje deltagare och kopplar på det som behövs; grunden är arbetslik aktivitet efter förmåga. ' +
        'Platserna tränar förmågor som gäller i många yrken, som att ta instruktioner och arbeta i grupp, och är indelade efter ' +
        'hur självständig deltagaren behöver vara, så att uppgifterna kan växa med deltagaren.',
    },
    {
      question: 2,
      answer:
        'Koordinatorn och deltagaren håller handlingsplanen aktuell tillsammans, och dialogen mellan arbetsledare, koordinator och ' +
        'socialsekreterare fångar nya behov. Indelningen av platserna visar när det är dags att gå vidare. Vid uppföljningarna skattar ' +
        'deltagaren själv sin anställningsbarhet, vilket både visar progressionen över tid och ger underlag för samtalet om planen.',
    },
    {
      question: 3,
      answer:
        'Vuxenutbildningen är en viktig partner eftersom många kombinerar SFI med arbetslik aktivitet. Med socialförvaltningen ' +
        'samordnas sysselsättning och ekonomiskt bistånd. Förvaltningen samordnar också kommunens feriearbeten, där vissa platser ' +
        'är vigda åt ungdomar som har svårt att hitta sommarjobb själva.',
    },
    {
      question: 4,
      answer:
        'Arbetsgivarkoordinatorer har kontakterna i näringslivet, hittar praktikplatser efter deltagarnas behov och fångar tidigt ' +
        'upp dem som är redo för extern praktik. Samarbetet med Arbetsförmedlingen utvecklas löpande, eftersom det är den ' +
        'myndigheten som beslutar om subventionerade anställningar.',
    },
    {
      question: 5,
      answer:
        'Verksamheten vill kunna arbeta mer förebyggande med ungdomar, vilket kräver riktade och långsiktiga uppdrag med öronmärkta ' +
        'medel. Den önskar mjukare övergångar från kommunala anställningar till den reguljära arbetsmarknaden, och påminner om att ' +
        'nya platser behöver förankras i hela kommunen och passa målgruppen.',
    },
  ],
};
