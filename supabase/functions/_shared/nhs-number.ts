// NHS numbers in free text, so evidence that identifies a patient can be held
// back. Runs in Deno (edge functions) and Node (tests, seed scripts): no
// Deno.* or node:* APIs.
//
// An NHS number is 10 digits; the 10th is a modulus-11 check digit over the
// first nine (weights 10 down to 2). People write it as 943 476 5919,
// 943-476-5919 or 9434765919, so all three count; a 10-digit window inside a
// longer run of digits (an account number, a timestamp) does not.

/** True when `digits` is exactly 10 digits whose last digit is the mod-11 check digit of the first nine. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let weightedSum = 0;
  for (let index = 0; index < 9; index++) weightedSum += Number(digits[index]) * (10 - index);
  const remainder = 11 - (weightedSum % 11);
  // 11 stands for a check digit of 0; 10 cannot be written as one digit, so no
  // NHS number is ever issued with it.
  const checkDigit = remainder === 11 ? 0 : remainder;
  if (checkDigit === 10) return false;
  return checkDigit === Number(digits[9]);
}

// 3-3-4 groups with the same separator twice (space, no-break space or hyphen)
// or none at all; not preceded or followed by another digit.
const NHS_NUMBER_CANDIDATE = /(?<!\d)(\d{3})([ \u00A0-]?)(\d{3})\2(\d{4})(?!\d)/g;

/** The distinct valid NHS numbers in `text`, as 10 digits without separators, in order of first appearance. */
export function findNhsNumbers(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(NHS_NUMBER_CANDIDATE)) {
    const digits = `${match[1]}${match[3]}${match[4]}`;
    if (isValidNhsNumber(digits)) found.add(digits);
  }
  return [...found];
}
