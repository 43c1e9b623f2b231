// en-GB labels of the access-request queue and its review screen. Placeholders
// are `{name}`, filled by ../registrations/text.ts. The Reject dialog's words
// are shared with registrations (registrations.decision.*).
export default {
  'access-requests.titles.list': 'Access requests',
  'access-requests.titles.show': 'Review access request',

  'access-requests.list.intro':
    'People with an account who ask for access to another organisation. Open one to approve or reject it.',
  'access-requests.list.person': 'Person',
  'access-requests.list.organisation': 'Organisation',
  'access-requests.list.roles': 'Roles asked for',
  'access-requests.list.requested': 'Requested',
  'access-requests.list.actions': 'Actions',
  'access-requests.list.review': 'Review',
  'access-requests.list.reviewPerson': 'Review the access request of {name}',
  'access-requests.list.empty': 'No access requests are waiting for you',
  'access-requests.list.emptyFiltered': 'No access requests are waiting for this organisation',
  'access-requests.list.loading': 'Loading access requests…',
  'access-requests.list.loadFailed': 'Access requests could not be loaded',
  'access-requests.list.total': '{from}–{to} of {total} access requests',

  'access-requests.show.person': 'Person',
  'access-requests.show.email': 'Email',
  'access-requests.show.requested': 'Requested',
  'access-requests.show.organisation': 'Organisation',
  'access-requests.show.roles': 'Roles asked for',
  'access-requests.show.approve': 'Approve',
  'access-requests.show.reject': 'Reject',
  'access-requests.show.approveTitle': 'Approve this access request?',
  'access-requests.show.approveText': '{name} ({email}) will be able to use {organisation} as {roles}. We will tell them.',
  'access-requests.show.approved': 'Access request approved',
  'access-requests.show.approvedText': '{name} now has access to {organisation}.',
  'access-requests.show.rejectTitle': 'Reject the access request of {name}',
  'access-requests.show.rejectIntro': '{name} will be told your reason, so say what to do instead.',
  'access-requests.show.rejected': 'Access request rejected',
  'access-requests.show.rejectedText': '{name} has been told why.',
  'access-requests.show.notFoundTitle': 'Access request not found',
  'access-requests.show.notFoundText':
    'It may have been decided already, or it is not one you can decide. Go back to the list of access requests waiting for you.',
  'access-requests.show.loadFailed': 'The access request could not be loaded',
  'access-requests.show.backToList': 'Back to access requests',
} satisfies Record<string, string>;
