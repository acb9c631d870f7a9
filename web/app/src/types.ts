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

// ---- 政策, 证照夹, 办事 ----

/** policy::Policy (the catalog entry; `eligibility` is the condition tree, shown only through the check). */
export interface Policy {
  id: string;
  title: string;
  issuer: string;
  regions: string[];
  published_on: string;
  window: { opens: string; closes: string } | null;
  benefit: { min_fen: number; max_fen: number; description: string };
  kind: string;
  auto_granted: boolean;
  eligibility: unknown;
  materials: string[];
  faq: string[];
  guide: string[];
  source: string;
  summary: string;
}

/** policy::ConditionResult: one line per condition, already worded (with ✓ / ✗ / ？) by the core. */
export interface ConditionResult {
  field: string;
  truth: 'met' | 'unmet' | 'unknown';
  met: boolean;
  reachable: boolean;
  line: string;
  missing: string | null;
  alternatives?: string[];
}

/** policy::WindowStatus */
export type WindowStatus =
  | { status: 'always' }
  | { status: 'upcoming'; opens: string; days_until: number }
  | { status: 'open'; closes: string; days_left: number }
  | { status: 'closed'; closed_on: string };

/** policy::PolicyCheck */
export interface PolicyCheck {
  policy: Policy;
  verdict: 'eligible' | 'near_miss' | 'not_eligible';
  window: WindowStatus;
  no_application_needed: boolean;
  /** `无需申请`, `申报中，2026-12-05截止（还剩14天）`, `常年受理` … */
  status_label: string;
  conditions: ConditionResult[];
  /** For a near miss: exactly what to change. */
  missing: string[];
  interest: number;
}

/** policy::Checkup */
export interface Checkup {
  uscc: string;
  today: string;
  eligible: number;
  near_miss: number;
  not_eligible: number;
  policies: PolicyCheck[];
}

/** dossier::MaterialKind */
export interface MaterialKind {
  code: string;
  name: string;
  validity: string;
  validity_days: number | null;
}

/** vault::VaultStatus */
export interface VaultStatus {
  set_up: boolean;
  unlocked: boolean;
  has_pin: boolean;
  has_key_provider: boolean;
  has_recovery_key: boolean;
  /** 0: auto-lock is off. */
  auto_lock_seconds: number;
  failed_attempts: number;
  retry_after: string | null;
  documents: number;
}

/** vault::DocumentInfo */
export interface DocumentInfo {
  id: string;
  name: string;
  media_type: string;
  size: number;
  created_at: string;
  licence_ids: number[];
  material_ids: number[];
}

/** feed::SyncReport: what `feed.sync` did. */
export interface SyncReport {
  updated: boolean;
  /** The version in force now (0: the built-in content). */
  version: number;
  previous_version: number;
  root_version: number;
  changed: string[];
  removed: string[];
  /** Stored data that failed its check and was fetched again. */
  repaired: string[];
  requests: number;
  bytes: number;
  expires: string | null;
}

/** feed::ContentFile */
export interface ContentFile {
  name: string;
  /** The feed version that delivered it; 0 for the built-in copy. */
  version: number;
  length: number;
  sha256: string;
}

/** feed::FeedStatus */
export interface FeedStatus {
  /** 0 until the first successful sync (the built-in content). */
  version: number;
  root_version: number;
  expires: string | null;
  expired: boolean;
  /** Until when the last verified timestamp vouches that the content in force is the publisher's current one. */
  verified_until: string | null;
  /** A synced version whose timestamp (and manifest) have not expired. */
  fresh: boolean;
  source: string | null;
  synced_at: string | null;
  /** The last sync that verified a fresh timestamp. */
  checked_at: string | null;
  /** Stored feed data failed its check (Chinese, from the core); the built-in content is in force there. */
  problem: string | null;
  files: ContentFile[];
}

/** vault::BackupSummary (what `vault.restore` brought back). */
export interface BackupSummary {
  documents: number;
  seals: number;
  /** USCCs whose seal was not restored (the company is not in this browser's dossier). */
  seals_skipped: string[];
  bytes: number;
}

/** vault::SealInfo */
export interface SealInfo {
  uscc: string;
  public_key: string;
  /** SHA-256 of the public key, hex: what a recipient compares. */
  fingerprint: string;
  created_at: string;
}

/** vault::PackageSigner */
export interface PackageSigner {
  uscc: string;
  name: string;
  public_key: string;
  fingerprint: string;
}

/** vault::seal::TrustedSeal: a seal trusted for one company only (a key bound to its USCC). */
export interface TrustedSeal {
  uscc: string;
  /** SHA-256 of the public key, hex; case, spaces and colons do not matter. */
  fingerprint: string;
}

/** vault::PackageProblem: `kind` is snake_case, e.g. unknown_key, signer_mismatch, forged_layout. */
export interface PackageProblem {
  kind: string;
  file: string | null;
  user_message: string;
  message: string;
}

/** vault::PackageReport: valid only if `problems` is empty. */
export interface PackageReport {
  valid: boolean;
  signer: PackageSigner | null;
  signed_at: string | null;
  verified_files: string[];
  problems: PackageProblem[];
}

/** guide::ItemSummary */
export interface GuideItemSummary {
  code: string;
  name: string;
  department: string;
  time_limit: string;
}

/** guide::ThemeNode */
export interface ThemeNode {
  theme: { code: string; name: string; description: string };
  items: GuideItemSummary[];
}

/** guide::BundleSummary */
export interface BundleSummary {
  code: string;
  name: string;
  description: string;
  items: number;
}

export interface GuideChoice {
  value: string;
  label: string;
}

/** guide::Question */
export interface GuideQuestion {
  id: string;
  text: string;
  options: GuideChoice[];
}

/** guide::Item (the fields the screen reads). */
export interface GuideItem {
  code: string;
  name: string;
  theme: string;
  department: string;
  conditions: string;
  time_limit: string;
  fee: string;
  channels: string[];
  basis: string[];
  questions: GuideQuestion[];
  faq: string[];
}

/** guide::Bundle (the fields the screen reads). */
export interface GuideBundle {
  code: string;
  name: string;
  description: string;
  questions: GuideQuestion[];
}

/** guide::PendingQuestion */
export interface PendingQuestion {
  key: string;
  text: string;
  options: GuideChoice[];
  item_name: string | null;
}

/** guide::RequiredMaterial */
export interface RequiredMaterial {
  kind: string;
  name: string;
  required: boolean;
  note: string | null;
  status: 'prepare' | 'reuse' | 'renew' | 'missing';
  detail: string;
  material_id: number | null;
  vault_document: string | null;
}

/** guide::ItemPlan */
export interface ItemPlan {
  code: string;
  name: string;
  department: string;
  time_limit: string;
  materials: RequiredMaterial[];
  steps: string[];
}

/** guide::Plan */
export interface GuidePlan {
  code: string;
  name: string;
  items: ItemPlan[];
}

/** guide::FormField */
export interface FormField {
  field: string;
  source: string | null;
  value: string | null;
  required: boolean;
  status: 'filled' | 'missing' | 'empty' | 'invalid';
  message: string | null;
}

/** guide::Form */
export interface GuideForm {
  item_code: string;
  item_name: string;
  fields: FormField[];
  missing: string[];
}

/** Answers to scenario questions: question key -> option value. */
export type Answers = Record<string, string>;

// The worker calls any `service.method` of the binding by name; these join the typed surface of api.ts
// (the binding's JS names, see target/wasm-pkg-app/zhuanshu_wasm.d.ts).
declare module './api' {
  interface Api {
    'dossier.materialKinds': () => MaterialKind[];
    'policies.checkup': (uscc: string) => Checkup;
    'policies.policy': (id: string) => Policy;
    'policies.open': (uscc: string, id: string) => PolicyCheck;
    'policies.save': (uscc: string, id: string) => null;
    'policies.unsave': (uscc: string, id: string) => boolean;
    'policies.saved': (uscc: string) => string[];
    'vault.status': () => VaultStatus;
    'vault.init': (pin: string) => string;
    'vault.unlockWithPin': (pin: string) => null;
    'vault.lock': () => null;
    'vault.setAutoLock': (seconds: number) => null;
    'vault.add': (name: string, mediaType: string, bytes: Uint8Array) => DocumentInfo;
    'vault.documents': () => DocumentInfo[];
    'vault.read': (id: string) => Uint8Array;
    'vault.remove': (id: string) => null;
    'vault.linkLicence': (id: string, licenceId: number) => DocumentInfo;
    'vault.changePin': (oldPin: string, newPin: string) => null;
    'vault.recover': (recoveryKey: string, newPin: string) => null;
    'vault.newRecoveryKey': (pin: string | null) => string;
    'vault.backup': () => Uint8Array;
    'vault.restore': (backup: Uint8Array, recoveryKey: string, newPin: string) => BackupSummary;
    'vault.sealInfo': (uscc: string) => SealInfo | null;
    'vault.createSeal': (uscc: string) => SealInfo;
    'vault.signPackage': (uscc: string, documentIds: string[]) => Uint8Array;
    'vault.verifyPackage': (bytes: Uint8Array, trusted: TrustedSeal[] | null) => PackageReport;
    'feed.sync': (url: string) => SyncReport;
    'feed.status': () => FeedStatus;
    'guide.tree': () => ThemeNode[];
    'guide.bundles': () => BundleSummary[];
    'guide.item': (code: string) => GuideItem;
    'guide.bundle': (code: string) => GuideBundle;
    'guide.nextQuestions': (code: string, answers: Answers) => PendingQuestion[];
    'guide.plan': (code: string, answers: Answers) => GuidePlan;
    'guide.checkMaterials': (uscc: string, code: string, answers: Answers) => GuidePlan;
    'guide.prefill': (uscc: string, code: string) => GuideForm;
    'guide.forPolicy': (policyId: string) => GuideItemSummary[];
  }
}
