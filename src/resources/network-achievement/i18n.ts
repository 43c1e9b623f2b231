// en-GB texts of Network achievement (PCN dashboard, issue 14; CQRS: Data
// Submission → Network achievement), with the job aid "PCN relationships"'s
// words on nominated people.
export default {
  'networkAchievement.titles.list': 'Network achievement',
  'networkAchievement.intro':
    'Your PCN’s network achievement: each network indicator aggregated from the practices that belonged to the PCN on the achievement date. Choose the financial year, the service and the achievement date (the latest is shown first), check the figures, and Submit to declare them: the member practices’ achievement for that date is then calculated with them, and their declarations waiting for it move on.',
  'networkAchievement.notPcn': 'Network achievement is declared by a PCN’s nominated people, in the PCN’s own context. Your practice’s share of a network payment waits until its PCN has submitted it.',
  'networkAchievement.loadError': 'The network achievement could not be loaded',
  'networkAchievement.retry': 'Try again',
  'networkAchievement.empty': 'No network achievement yet: it appears once the PCN’s member practices have submitted achievement for a service with network indicators.',

  'networkAchievement.filters.year': 'Financial year',
  'networkAchievement.filters.service': 'Service',
  'networkAchievement.filters.date': 'Achievement date',
  'networkAchievement.filters.paymentDate': '{{date}} (payment date)',
  'networkAchievement.filters.latest': '{{date}} (latest)',

  'networkAchievement.nominated.few': '{{pcn}} has {{n}} nominated people',
  'networkAchievement.nominated.fewOne': '{{pcn}} has 1 nominated person',
  'networkAchievement.nominated.explain':
    'In order to enable timely declaration, please ensure you have two nominated persons within CQRS: your commissioner gives a user the PCN organisation role with the Declaration Management permission.',

  'networkAchievement.summary.title': '{{service}} · {{date}}',
  'networkAchievement.summary.status': 'Status',
  'networkAchievement.summary.reporting': 'Member practices reporting',
  'networkAchievement.summary.reportingValue': '{{n}} of {{m}}',
  'networkAchievement.summary.submitted': 'Submitted',
  'networkAchievement.summary.submittedValue': '{{when}} by {{who}}',
  'networkAchievement.summary.notes': 'Notes',
  'networkAchievement.summary.waiting': 'Practices waiting for it',
  'networkAchievement.summary.waitingNone': 'None',
  'networkAchievement.summary.calculated': 'Figures as of',
  'networkAchievement.summary.recalculation': 'A recalculation of these figures is pending (requested {{when}}).',
  'networkAchievement.status.submitted': 'Submitted',
  'networkAchievement.status.not_submitted': 'Not submitted',

  'networkAchievement.waiting.some': '{{n}} member practices’ declarations wait for this network achievement.',
  'networkAchievement.waiting.one': '1 member practice’s declaration waits for this network achievement.',

  'networkAchievement.indicators.title': 'Network indicators',
  'networkAchievement.indicators.label': 'Network indicators of {{service}} on {{date}}',
  'networkAchievement.indicators.empty': 'No network figures for this date yet.',
  'networkAchievement.indicators.indicator': 'Indicator',
  'networkAchievement.indicators.numerator': 'Numerator',
  'networkAchievement.indicators.denominator': 'Denominator',
  'networkAchievement.indicators.percentage': 'Percentage',
  'networkAchievement.indicators.count': 'Count',
  'networkAchievement.indicators.points': 'Points',
  'networkAchievement.indicators.reporting': 'Practices reporting',
  'networkAchievement.indicators.reportingValue': '{{n}} of {{m}}',
  'networkAchievement.indicators.perUnit': 'per unit',
  'networkAchievement.indicators.loadError': 'The network figures could not be loaded',

  'networkAchievement.submit': 'Submit',
  'networkAchievement.submitTitle': 'Declare network achievement for {{pcn}}, {{service}}, {{date}}?',
  'networkAchievement.submitExplain':
    'You declare these network figures on behalf of {{pcn}} ({{n}} of {{m}} member practices reporting). The member practices’ achievement for {{date}} is then calculated with them, and declarations waiting for them move on. Notes are kept with the submission.',
  'networkAchievement.submitNotes': 'Notes (optional)',
  'networkAchievement.submitOk': 'Declare network achievement',
  'networkAchievement.cancel': 'Cancel',
  'networkAchievement.submitTooLong': 'The notes can have at most {{max}} characters.',
  'networkAchievement.count': '{{n}} / {{max}} characters',
  'networkAchievement.submitted': 'Network achievement submitted for {{date}}',
  'networkAchievement.submittedExplain': 'The member practices’ achievement for {{date}} has been calculated with it.',
  'networkAchievement.submitFailed': 'The network achievement was not submitted',
  'networkAchievement.alreadySubmitted': 'Submitted: the member practices’ achievement for this date is calculated with these figures.',
} satisfies Record<string, string>;
