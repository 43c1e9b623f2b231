// en-GB names of the achievement menu groups (the CQRS tabs).
export default {
  'achievementMenu.dataSubmission': 'Data Submission',
  'achievementMenu.achievement': 'Achievement',
} satisfies Record<string, string>;
