// Labels of the catalogue's enums, from the area's dictionary.
import type dictionary from './i18n.ts';
import type { ClaimMode, ComponentKind, PaymentBasis, QuestionKind, ServiceKind } from './model.ts';

type Key = keyof typeof dictionary;

export const serviceKindKey = (kind: ServiceKind): Key => `services.kind.${kind}`;
export const componentKindKey = (kind: ComponentKind): Key => `services.componentKind.${kind}`;
/** The short label of a component's kind, for tags in tables. */
export const componentTagKey = (kind: ComponentKind): Key => `services.componentTag.${kind}`;
export const questionKindKey = (kind: QuestionKind): Key => `services.questionKind.${kind}`;
export const basisKey = (basis: PaymentBasis): Key => `services.basis.${basis}`;
export const claimModeKey = (mode: ClaimMode | null): Key => (mode ? `services.claimMode.${mode}` : 'services.claimMode.inherit');
