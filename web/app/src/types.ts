// The JSON shapes the core returns (snake_case, dates as YYYY-MM-DD, null for absent values). These are
// the serde shapes of the Rust types named in each comment; the app only reads them.

/** zhuanshu::FieldIssue */
export interface FieldIssue {
  path: string;
  user_message: string;
  message: string;
}

/** The thrown error object of the wasm binding (camelCase at the top, like a JS Error). */
export interface CoreError {
  code: string;
  message: string;
  userMessage: string;
  issues: FieldIssue[];
}

/** dossier::Company */
export interface Company {
  uscc: string;
  name: string;
  company_type: string;
  legal_representative: string;
  registered_capital_fen: number;
  established_on: string;
  address: string;
  district: string;
  industry: string;
  employees: number;
  revenue_fen: number;
  total_assets_fen: number | null;
  taxpayer_kind: string;
  credit_grade: string | null;
  tags: string[];
}

/** dossier::SizeAssessment */
export interface SizeAssessment {
  class: string | null;
  category: string;
  basis: string;
}

/** dossier::CompanyOverview */
export interface CompanyOverview {
  company: Company;
  current: boolean;
  district_name: string;
  industry_name: string;
  company_type_label: string;
  taxpayer_kind_label: string;
  size: SizeAssessment;
  age_years: number;
  stage: string;
  stage_label: string;
}

/** dossier::LicenceData */
export interface LicenceData {
  kind: string;
  number: string;
  issuer: string;
  issued_on: string;
  valid_until: string | null;
  scope: string;
}

/** dossier::Licence */
export interface Licence {
  id: number;
  uscc: string;
  data: LicenceData;
  kind_name: string;
  days_left: number | null;
}

/** dossier::LicenceKind */
export interface LicenceKind {
  code: string;
  name: string;
  issuer: string;
  validity_years: number | null;
  description: string;
}

/** dossier::Material */
export interface Material {
  id: number;
  uscc: string;
  data: { kind: string; title: string; valid_until: string | null; vault_document: string | null };
  kind_name: string;
  days_left: number | null;
}

/** dossier::Record */
export interface RecordItem {
  id: number;
  uscc: string;
  data: { item_code: string; item_name: string; channel: string; submitted_on: string };
  history: { status: string; at: string }[];
}

export interface Region {
  code: string;
  name: string;
}

export interface Industry {
  code: string;
  name: string;
  section_name: string;
}

/** dynamics::Action */
export type Action =
  | { type: 'faq'; id: string }
  | { type: 'guide'; item: string }
  | { type: 'policy'; id: string }
  | { type: 'licence'; id: number }
  | { type: 'material'; id: number }
  | { type: 'record'; id: number }
  | { type: 'reminder'; id: number }
  | { type: 'website'; url: string };

/** dynamics::Dynamic */
export interface Dynamic {
  id: string;
  subject: string;
  kind: string;
  title: string;
  detail: string;
  due: string;
  days_left: number;
  workdays_left: number;
  severity: 'overdue' | 'urgent' | 'soon' | 'info';
  action: Action | null;
  estimated: boolean;
}

/** assistant::Span — character (Unicode scalar) offsets, not UTF-16 units. */
export interface Span {
  start: number;
  end: number;
}

/** assistant::Hit */
export interface Hit {
  id: string;
  question: string;
  answer: string;
  theme: string;
  score: number;
  question_highlights: Span[];
  answer_highlights: Span[];
}

export interface Suggestion {
  id: string;
  question: string;
}

/** assistant::FaqEntry */
export interface FaqEntry {
  id: string;
  question: string;
  alternatives: string[];
  answer: string;
  theme: string;
  tags: string[];
  related: string[];
  updated: string;
}

/** assistant::Prediction */
export interface Prediction {
  id: string;
  question: string;
  reason: string;
}

/** One closed list of the core (`code` as stored, Chinese `label`). */
export interface Choice {
  code: string;
  label: string;
}

/** The binding's `labels()`: every closed list, and the snooze choices for today. */
export interface Labels {
  company_types: Choice[];
  taxpayer_kinds: Choice[];
  credit_grades: Choice[];
  channels: Choice[];
  record_statuses: Choice[];
  size_classes: Choice[];
  life_stages: Choice[];
  severities: Choice[];
  dynamic_kinds: Choice[];
}

export interface SnoozeChoice {
  label: string;
  until: string;
}

/** Where the worker keeps the database. */
export type StorageKind = 'opfs' | 'indexeddb' | 'memory';

export interface Ready {
  storage: StorageKind;
  /** Why a persistent store could not be used, when storage is `memory`. */
  storageNote: string | null;
  /** When the worker started and finished each step (ms since the epoch), for the timing marks. */
  timings: Record<string, number>;
  /** The first screen's data: the closed lists, the companies, the current company's dynamics. */
  first: { labels: Labels; companies: CompanyOverview[]; dynamics: Dynamic[] };
}
