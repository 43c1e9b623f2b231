// en-GB labels of the registration pages (public sign-up, the pending
// registrations queue and its review screen). Placeholders are `{name}`,
// filled by ./text.ts. Shared labels (roles.*, organisationType.*) live in
// src/i18n/common.ts.
export default {
  'registrations.titles.list': 'Registrations',
  'registrations.titles.show': 'Review registration',

  // ---- public registration page
  'registrations.register.title': 'Register for an account',
  'registrations.register.intro':
    'Ask for access to the Commissioning Portal for your organisation. An administrator checks every request before the account can be used.',
  'registrations.register.fullName': 'Full name',
  'registrations.register.fullNameHelp': 'Your first and last name, as your colleagues know you.',
  'registrations.register.fullNameRequired': 'Enter your full name.',
  'registrations.register.fullNameTooLong': 'The name is too long (at most 200 characters).',
  'registrations.register.email': 'Personal work email address',
  'registrations.register.emailHelp':
    'Your own address, not a shared mailbox such as reception@ or admin@. It becomes your username.',
  'registrations.register.emailRequired': 'Enter your email address.',
  'registrations.register.emailInvalid': 'Enter an email address like jo.bloggs@nhs.net.',
  'registrations.register.genericMailbox':
    '{email} looks like a shared or generic mailbox. Register with an address that belongs to you alone: every account is personal, because approvals, claims and payments are recorded in the audit trail against the person who made them.',
  'registrations.register.password': 'Password',
  'registrations.register.passwordHelp':
    'At least 12 characters, with lower case letters, upper case letters and digits.',
  'registrations.register.passwordRequired': 'Choose a password.',
  'registrations.register.passwordTooShort': 'The password needs at least 12 characters.',
  'registrations.register.passwordNeedsLower': 'Add at least one lower case letter (a–z).',
  'registrations.register.passwordNeedsUpper': 'Add at least one upper case letter (A–Z).',
  'registrations.register.passwordNeedsDigit': 'Add at least one digit (0–9).',
  'registrations.register.confirmPassword': 'Confirm password',
  'registrations.register.confirmPasswordRequired': 'Type the password again.',
  'registrations.register.passwordsDiffer': 'The two passwords are not the same.',
  'registrations.register.organisation': 'Organisation',
  'registrations.register.organisationHelp': 'Search by ODS code (for example ZP1002) or by name.',
  'registrations.register.organisationRequired': 'Choose your organisation.',
  'registrations.register.roles': 'Role(s) requested',
  'registrations.register.rolesHelpCommissioner': '{organisation} is a commissioner: these are the commissioner roles.',
  'registrations.register.rolesHelpProvider': '{organisation} is a provider: these are the provider roles.',
  'registrations.register.rolesChooseOrganisationFirst': 'Choose your organisation first: the roles depend on it.',
  'registrations.register.rolesRequired': 'Choose at least one role.',
  'registrations.register.segregationTitle': 'Segregation of duties',
  'registrations.register.segregationError': 'Choose Approver Tier 1 or Approver Tier 2, not both.',
  'registrations.register.rolesLoading': 'Loading the roles of this organisation…',
  'registrations.register.segregationRule':
    'One person cannot be Approver Tier 1 and Approver Tier 2 at the same organisation: claims are vetted and paid by two different people. Choose one of the two.',
  'registrations.register.whoApproves': 'Your request will go to {approver}.',
  'registrations.register.submit': 'Register',
  'registrations.register.submitting': 'Registering…',
  'registrations.register.haveAccount': 'Already have an account?',
  'registrations.register.signIn': 'Sign in',
  'registrations.register.failed': 'Registration failed',
  'registrations.register.alreadyRegistered':
    'An account with this email address already exists. Sign in, or reset your password if you have forgotten it.',
  'registrations.register.weakPassword':
    'The password is too weak. Use at least 12 characters, with lower case letters, upper case letters and digits.',
  'registrations.register.rateLimited':
    'Too many registrations from this network in a short time. Please wait a few minutes and try again.',
  'registrations.register.organisationUnreadable': 'The organisation could not be loaded. Choose it again.',

  // who decides (shown on the form and the confirmation page)
  'registrations.approver.supportDesk': 'the Support Desk (administrator accounts at commissioners are approved centrally)',
  'registrations.approver.commissioner': 'the User Administrators of {organisation} or of a commissioner above it',
  'registrations.approver.practice':
    'the User Administrators of the commissioner responsible for {organisation} (or the practice’s Provider Approver, if the practice approves its own staff)',
  'registrations.approver.provider': 'the User Administrators of the commissioner responsible for {organisation}',
  'registrations.approver.unknown': 'an administrator of your organisation',

  // ---- confirmation page
  'registrations.confirmation.title': 'Check your email',
  'registrations.confirmation.sent': 'We have sent a confirmation link to {email}.',
  'registrations.confirmation.sentNoEmail': 'We have sent a confirmation link to the address you gave.',
  'registrations.confirmation.next': 'Follow the link to confirm your address. Then your request goes to {approver} for approval.',
  'registrations.confirmation.afterDecision':
    'We will email you when it has been decided. Until then you can sign in and follow your request on your profile page.',
  'registrations.confirmation.noEmail':
    'No email after a few minutes? Check your junk folder. The link expires after 14 days; after that, register again.',
  'registrations.confirmation.toSignIn': 'Go to sign in',

  // ---- queue
  'registrations.list.intro':
    'People who registered and are waiting for a decision on the access they asked for. Open one to approve or reject it.',
  'registrations.list.person': 'Person',
  'registrations.list.organisation': 'Organisation',
  'registrations.list.roles': 'Roles asked for',
  'registrations.list.registered': 'Registered',
  'registrations.list.actions': 'Actions',
  'registrations.list.review': 'Review',
  'registrations.list.reviewPerson': 'Review the registration of {name}',
  'registrations.list.filterOrganisation': 'Filter by organisation',
  'registrations.list.allOrganisations': 'All organisations',
  'registrations.list.noOrganisation': 'No organisation asked for',
  'registrations.list.empty': 'No registrations are waiting for you',
  'registrations.list.emptyFiltered': 'No registrations are waiting for this organisation',
  'registrations.list.loading': 'Loading registrations…',
  'registrations.list.loadFailed': 'Registrations could not be loaded',
  'registrations.list.total': '{from}–{to} of {total} registrations',
  'registrations.list.genericTag': 'Generic mailbox',
  'registrations.list.genericTagHelp': 'A shared or generic mailbox cannot be approved: reject it and ask the person to register with their own address.',
  'registrations.list.supportDeskTag': 'Support Desk approves',
  'registrations.list.supportDeskTagHelp': 'Administrator roles at a commissioner: only the Support Desk can approve this request.',
  'registrations.list.noRequest': 'No valid request',

  // ---- review
  'registrations.show.person': 'Person',
  'registrations.show.email': 'Email',
  'registrations.show.registered': 'Registered',
  'registrations.show.organisation': 'Organisation',
  'registrations.show.roles': 'Roles asked for',
  'registrations.show.noOrganisation':
    'This registration asks for no organisation (its request was not valid). Approving it creates an account without access.',
  'registrations.show.genericTitle': 'Generic or shared mailbox: this registration cannot be approved',
  'registrations.show.genericText':
    '{email} looks like a mailbox shared by a team. Accounts are personal, so that every action in the audit trail belongs to one person. Reject the registration with a reason and ask each person to register with their own address.',
  'registrations.show.supportDeskTitle': 'Only the Support Desk approves this request',
  'registrations.show.supportDeskText': 'It asks for administrator roles at a commissioner.',
  'registrations.show.approve': 'Approve',
  'registrations.show.reject': 'Reject',
  'registrations.show.approveDisabledGeneric': 'A generic mailbox cannot be approved.',
  'registrations.show.approveTitle': 'Approve this registration?',
  'registrations.show.approveText':
    '{name} ({email}) will be able to sign in and use {organisation} as {roles}. We will email them.',
  'registrations.show.approveTextNoOrganisation': '{name} ({email}) will be able to sign in, without access to any organisation yet. We will email them.',
  'registrations.show.approved': 'Registration approved',
  'registrations.show.approvedText': '{name} has been approved and will get an email.',
  'registrations.show.rejectTitle': 'Reject the registration of {name}',
  'registrations.show.rejectIntro': '{name} will get an email with your reason, so say what to do instead.',
  'registrations.show.genericReason':
    'Please register again with your own work email address. {email} is a shared mailbox, and accounts must be personal so that every action can be traced to one person.',
  'registrations.show.rejected': 'Registration rejected',
  'registrations.show.rejectedText': '{name} has been told why.',
  'registrations.show.decisionFailed': 'The decision was not saved',
  'registrations.show.notFoundTitle': 'Registration not found',
  'registrations.show.notFoundText':
    'It may have been decided already, or it is not one you can decide. Go back to the list of registrations waiting for you.',
  'registrations.show.loadFailed': 'The registration could not be loaded',
  'registrations.show.backToList': 'Back to registrations',

  // ---- shared decision dialog (also used by access requests)
  'registrations.decision.reason': 'Reason',
  'registrations.decision.reasonRequired': 'Give a reason: the person will read it.',
  'registrations.decision.reasonTooLong': 'At most 500 characters.',
  'registrations.decision.characters': '{count} of 500 characters',
  'registrations.decision.cancel': 'Cancel',
} satisfies Record<string, string>;
