// en-GB texts of "Achievements awaiting network achievement" (commissioner,
// issue 14): the national guide "Resolving Achievements stuck in the Awaiting
// Network Achievement status" in one screen.
export default {
  'awaitingNetwork.titles.list': 'Awaiting network achievement',
  'awaitingNetwork.titles.page': 'Achievements awaiting network achievement',
  'awaitingNetwork.intro':
    'A practice’s share of a network payment waits in Awaiting network achievement until its PCN’s network achievement for that date is submitted. Each achievement below is stuck; the database has found why, and says what fixes it.',
  'awaitingNetwork.reportLink': 'Network organisation relationship report',
  'awaitingNetwork.loadError': 'The stuck achievements could not be loaded',
  'awaitingNetwork.retry': 'Try again',
  'awaitingNetwork.empty': 'No achievement is stuck awaiting network achievement.',
  'awaitingNetwork.emptyFiltered': 'No stuck achievement matches the filters.',
  'awaitingNetwork.tableLabel': 'Achievements awaiting network achievement ({{n}})',

  'awaitingNetwork.filters.service': 'Service',
  'awaitingNetwork.filters.cause': 'Cause',
  'awaitingNetwork.filters.any': 'Any',

  'awaitingNetwork.fields.practice': 'Practice',
  'awaitingNetwork.fields.date': 'Achievement date',
  'awaitingNetwork.waitingSince': 'waiting since {{date}}',
  'awaitingNetwork.fields.cause': 'Cause',
  'awaitingNetwork.fields.fix': 'Fix',

  'awaitingNetwork.cause.no_pcn_relationship': 'No PCN relationship',
  'awaitingNetwork.cause.no_pcn_relationshipOn': 'No PCN relationship on {{date}}',
  'awaitingNetwork.cause.network_achievement_not_submitted': 'PCN achievement not submitted',
  'awaitingNetwork.cause.network_achievement_not_submittedBy': 'PCN on the date: {{pcn}}',
  'awaitingNetwork.cause.recalculation_pending': 'Recalculation pending',
  'awaitingNetwork.cause.recalculation_pendingText': '{{pcn}} has submitted; the recalculation has not run yet',
  'awaitingNetwork.noPcn': 'None',

  'awaitingNetwork.fix.openRelationships': 'Open the practice’s PCN relationships',
  'awaitingNetwork.fix.openRelationshipsLabel': 'Open the practice’s PCN relationships: {{practice}}',
  'awaitingNetwork.fix.whoAdds': 'Your ICB’s Organisation or User Administrators add it there.',
  'awaitingNetwork.fix.remind': 'Remind nominated people',
  'awaitingNetwork.fix.remindLabel': 'Remind nominated people of {{pcn}} about {{date}}',
  'awaitingNetwork.fix.reminded': 'Reminded',
  'awaitingNetwork.fix.nobody': '{{pcn}} has no nominated people: ask it to nominate two.',

  'awaitingNetwork.remind.title': 'Remind {{pcn}}’s nominated people?',
  'awaitingNetwork.remind.body':
    'Everyone with Declaration Management at {{pcn}} gets a task and an email: submit the network achievement of {{service}} for {{date}}. {{n}} achievements of its member practices wait for it.',
  'awaitingNetwork.remind.ok': 'Remind nominated people',
  'awaitingNetwork.remind.cancel': 'Cancel',
  'awaitingNetwork.remind.done': '{{n}} nominated people of {{pcn}} reminded',
  'awaitingNetwork.remind.doneOne': '1 nominated person of {{pcn}} reminded',
  'awaitingNetwork.remind.nobody': '{{pcn}} has no nominated people to remind',
  'awaitingNetwork.remind.nobodyExplain': 'Give a user the PCN organisation role with the Declaration Management permission (two nominated people are recommended), then remind them.',
  'awaitingNetwork.remind.failed': 'The reminder was not sent',

  'awaitingNetwork.menu.waiting': '({{n}} stuck)',
} satisfies Record<string, string>;
