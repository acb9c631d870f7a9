// The RPC surface between the page and the worker: each method is `service.method` of the wasm binding
// (`dossier.addCompany` is `app.dossier().addCompany(...)`), or `fn.name` for a free function. The page
// calls them by name with their arguments; the worker answers with the result or the thrown error object.
import type {
  Company,
  CompanyOverview,
  Dynamic,
  FaqEntry,
  Hit,
  Industry,
  Labels,
  Licence,
  LicenceData,
  LicenceKind,
  Material,
  Prediction,
  RecordItem,
  Region,
  SnoozeChoice,
  Suggestion,
} from './types';

export interface Api {
  'dossier.companies': () => CompanyOverview[];
  'dossier.company': (uscc: string) => CompanyOverview;
  'dossier.current': () => CompanyOverview;
  'dossier.addCompany': (company: Company) => CompanyOverview;
  'dossier.updateCompany': (uscc: string, company: Company) => CompanyOverview;
  'dossier.removeCompany': (uscc: string) => null;
  'dossier.useCompany': (uscc: string) => CompanyOverview;
  'dossier.licences': (uscc: string) => Licence[];
  'dossier.addLicence': (uscc: string, data: LicenceData) => Licence;
  'dossier.updateLicence': (id: number, data: LicenceData) => Licence;
  'dossier.removeLicence': (id: number) => null;
  'dossier.materials': (uscc: string) => Material[];
  'dossier.records': (uscc: string) => RecordItem[];
  'dossier.setRecordStatus': (id: number, status: string, at: string | null) => RecordItem;
  'dossier.loadDemo': () => { company: Company }[];
  'dossier.licenceKinds': () => LicenceKind[];
  'dossier.industries': () => Industry[];
  'dossier.regions': () => Region[];
  'dossier.exportJson': (uscc: string) => string;
  'dossier.importJson': (json: string) => unknown;
  'dynamics.list': (uscc: string) => Dynamic[];
  'dynamics.listCurrent': () => Dynamic[];
  'dynamics.markDone': (uscc: string, id: string) => unknown;
  'dynamics.dismiss': (uscc: string, id: string) => unknown;
  'dynamics.snooze': (uscc: string, id: string, until: string) => unknown;
  'dynamics.restore': (uscc: string, id: string) => boolean;
  'dynamics.snoozeChoices': () => SnoozeChoice[];
  'assistant.search': (query: string, limit: number) => Hit[];
  'assistant.suggest': (prefix: string) => Suggestion[];
  'assistant.entry': (id: string) => FaqEntry;
  'assistant.related': (id: string, limit: number) => Suggestion[];
  'assistant.predicted': (uscc: string) => Prediction[];
  'fn.parseYuan': (text: string) => number;
  'fn.formatYuan': (fen: number) => string;
  'fn.usccNormalize': (code: string) => string;
  'fn.labels': () => Labels;
}

export type Method = keyof Api;

/** Page -> worker. */
export type Request =
  | { id: number; kind: 'call'; method: Method; args: unknown[] }
  | { id: number; kind: 'open'; fixedNow: string | null; storage: 'auto' | 'indexeddb' | 'memory'; demo: boolean }
  | { id: number; kind: 'warm' };

/** Worker -> page. */
export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: unknown };
