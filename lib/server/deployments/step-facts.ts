import "server-only";
import type { TStepFact } from "../../domain/procedures";

type TStepRow = {
  number: number;
  applicability: TStepFact["applicability"];
  applicable: boolean;
  applicabilityReason: string | null;
  status: TStepFact["status"];
};

export function toStepFact(s: TStepRow): TStepFact {
  return {
    number: s.number,
    applicability: s.applicability,
    applicable: s.applicable,
    decided: s.applicability !== "SITUATIONAL" || s.applicabilityReason !== null,
    status: s.status,
  };
}
