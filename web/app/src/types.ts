// The shapes the core returns, as declared in the wasm module's generated .d.ts (tsify derives them from
// the Rust types; see core/Cargo.toml's `ts` feature). Nothing here repeats a field: a few are renamed
// for the screens (the core's `Record` would hide TypeScript's own `Record`), the rest are the
// presentation's own.
import type { CompanyOverview, Dynamic, Labels } from 'zhuanshu-wasm';
// The search engine's results (the app module is built without it).
export type { Hit, Span, Suggestion } from 'zhuanshu-search-wasm';

export type {
  Action,
  Answers,
  BackupSummary,
  Checkup,
  Company,
  CompanyForm,
  CompanyOverview,
  ConditionResult,
  ContentFile,
  CoreError,
  DocumentInfo,
  Dynamic,
  FaqEntry,
  FeedStatus,
  FieldIssue,
  Industry,
  Label as Choice,
  Labels,
  Licence,
  LicenceData,
  LicenceForm,
  LicenceKind,
  Material,
  MaterialForm,
  RecordForm,
  MaterialKind,
  PackageProblem,
  PackageReport,
  PackageSigner,
  PendingQuestion,
  Policy,
  PolicyCheck,
  Prediction,
  Region,
  RequiredMaterial,
  ItemPlan,
  SealInfo,
  SizeAssessment,
  SnoozeChoice,
  SyncReport,
  ThemeNode,
  TrustedSeal,
  VaultStatus,
  WindowStatus,
  BundleSummary,
  FormField,
  Record as RecordItem,
  ItemSummary as GuideItemSummary,
  Choice as GuideChoice,
  Question as GuideQuestion,
  Item as GuideItem,
  Bundle as GuideBundle,
  Plan as GuidePlan,
  Form as GuideForm,
} from 'zhuanshu-wasm';

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
