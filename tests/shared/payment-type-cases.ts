// Payment types run through both copies of "a local service cannot take a
// national payment type": the database's (private.is_national_payment_type,
// tests/db/services/payment-types.test.ts) and the service form's
// (isNationalPaymentType in src/resources/services/model.ts, tests/unit/payment-types.test.ts).

export const NATIONAL_PAYMENT_TYPE_CASES: readonly string[] = [
  'QOF',
  'qof',
  'Quality and Outcomes Framework',
  'Quality & Outcomes Framework',
  'DES',
  'Directed Enhanced Service',
  'Directed Enhanced Services',
  'Network Contract DES',
  'V&I',
  'V & I',
  'V and I',
  'Vaccinations and Immunisations',
  'Vaccination and Immunisation',
  'Vaccinations & Immunizations',
];

export const LOCAL_PAYMENT_TYPE_CASES: readonly string[] = [
  'Local Enhanced Service',
  'Local Incentive Scheme',
  'LES',
  'LIS',
  'Designated care homes scheme',
  'Vision screening incentive',
  'Desk-based reviews',
  'Quality improvement scheme',
];
