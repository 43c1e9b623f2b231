// en-GB texts of Declare (provider, issue 14) and of what Declaration
// Management shares with it: statuses, the per-item results, the Payment
// Declaration History panel. Words from the CQRS job aid "Declaring an
// achievement for payment".
export default {
  'declare.titles.list': 'Declare',
  'declare.intro':
    'At the end of each payment period a provisional payment is calculated from the achievement you submitted. Review it, then declare it: select the Quality Services to declare and press Declare Achievement. The payment declaration then waits for approval by the Commissioning Organisation.',
  'declare.pcn':
    'A PCN declares its network achievement under Data Submission → Network achievement; its member practices declare their own achievement here.',
  'declare.pcnLink': 'Open Network achievement',
  'declare.notProvider': 'Declarations are made by a practice’s Declaration Management.',
  'declare.loadError': 'The declarations could not be loaded',
  'declare.retry': 'Try again',
  'declare.empty': 'No payment declarations yet: one appears for each service once achievement for a payment date has been submitted and calculated.',

  'declare.awaiting.title': 'Awaiting your declaration ({{n}})',
  'declare.awaiting.empty': 'Nothing waits for your declaration.',
  'declare.awaiting.readOnly': 'Declaring is for the practice’s Declaration Management; your roles here can read the declarations.',
  'declare.others.title': 'Other declarations',
  'declare.others.empty': 'No other declarations.',

  'declare.select.row': 'Select {{service}} for {{date}}',
  'declare.select.column': 'Selected',
  'declare.select.all': 'Select All ({{n}})',
  'declare.select.clear': 'Clear selection',
  'declare.select.count': '{{n}} selected',

  'declare.fields.service': 'Quality Service',
  'declare.fields.practice': 'Practice',
  'declare.fields.financialYear': 'Financial year',
  'declare.fields.date': 'Achievement date',
  'declare.fields.points': 'Points',
  'declare.fields.payment': 'Payment (£)',
  'declare.fields.status': 'Status',
  'declare.fields.note': 'Note',
  'declare.fields.since': 'Since',

  'declare.note.recalculation': 'Recalculation pending (requested {{when}}): declare once it has run.',
  'declare.note.sentBack': 'Sent back {{when}}: {{reason}}',
  'declare.note.noDeclarationRequired': 'No Declaration Required',
  'declare.note.noApprovalRequired': 'No Approval Required',

  'declare.action.declare': 'Declare Achievement',
  'declare.confirm.title': 'Declare achievement for {{n}} Quality Services?',
  'declare.confirm.titleOne': 'Declare achievement for 1 Quality Service?',
  'declare.confirm.body':
    'You declare that the achievement and payment below are accurate. Each is checked on its own: one with data missing or a recalculation pending is not declared, and you are told why. Declared achievement waits for approval by the Commissioning Organisation, which is told.',
  'declare.confirm.ok': 'Declare Achievement',
  'declare.confirm.cancel': 'Cancel',
  'declare.confirm.item': '{{service}} · {{date}} · {{payment}}',
  'declare.failed': 'The declaration could not be made',

  'declare.results.summary': '{{ok}} declared, {{failed}} not declared',
  'declare.results.label': 'Results of Declare Achievement',
  'declare.results.ok': 'Declared',
  'declare.results.refused': 'Not declared',

  'declare.report.run': 'Run Achievement Summary Report',
  'declare.report.title': 'Achievement Summary Report',
  'declare.report.selected': 'The report covers the {{n}} declarations you selected.',
  'declare.report.selectedOne': 'The report covers the declaration you selected.',
  'declare.report.awaiting': 'The report covers the {{n}} declarations awaiting your declaration (select some first to narrow it).',
  'declare.report.all': 'The report covers all {{n}} declarations shown.',
  'declare.report.none': 'There is no declaration to report on.',
  'declare.report.format': 'Format',
  'declare.report.xlsx': 'Excel workbook (.xlsx)',
  'declare.report.csv': 'CSV (.csv)',
  'declare.report.download': 'Download',
  'declare.report.cancel': 'Cancel',
  'declare.report.downloaded': 'Downloaded {{file}}',
  'declare.report.failed': 'The Achievement Summary Report could not be made',

  'declare.status.awaiting_network_achievement': 'Awaiting network achievement',
  'declare.status.awaiting_provider_declaration': 'Awaiting provider declaration',
  'declare.status.awaiting_commissioner_approval': 'Awaiting commissioner approval',
  'declare.status.awaiting_finance_approval': 'Awaiting finance approval',
  'declare.status.approved_for_payment': 'Approved for payment',

  'declare.history.title': 'Payment Declaration History',
  'declare.history.service': 'Quality Service',
  'declare.history.empty': 'No history yet for this service.',
  'declare.history.loadError': 'The history could not be loaded',
  'declare.history.when': 'When',
  'declare.history.date': 'Achievement date',
  'declare.history.action': 'What happened',
  'declare.history.by': 'By',
  'declare.history.status': 'Status',
  'declare.history.reason': 'Reason',
  'declare.history.statusChange': '{{from}} → {{to}}',
  'declare.history.label': 'Payment Declaration History of {{service}}',

  'declare.menu.waiting': '({{n}} waiting for you)',
} satisfies Record<string, string>;
