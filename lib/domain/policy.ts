// A system's approval policy (P3, P4): the seed asks for "at least two" reviews
// by assessors and "at least two" tests by testers. The CLI, the API and the
// admin page all parse with ZPolicyCount, so each refuses a lower value with the
// same words; the database holds a CHECK constraint as the last word.

import { z } from "zod";

export const MIN_REVIEWS = 2;
export const MIN_TESTS = 2;
export const MAX_POLICY_COUNT = 20;

function count(what: "reviews" | "tests", min: number) {
  return z
    .number()
    .int(`The number of ${what} required is a whole number.`)
    .min(
      min,
      `A system requires at least ${min} ${what} by distinct people (the seed: "at least two").`,
    )
    .max(MAX_POLICY_COUNT, `At most ${MAX_POLICY_COUNT} ${what} can be required.`);
}

export const ZReviewsRequired = count("reviews", MIN_REVIEWS);
export const ZTestsRequired = count("tests", MIN_TESTS);

export type TPolicy = { reviewsRequired: number; testsRequired: number };
