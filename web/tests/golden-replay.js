// The browser replay of tests/golden scenarios, through the wasm bindings. It must observe exactly what
// the Rust replay (tests/lib.rs) and the Kotlin replay (android/model) observe.

// The front ends save items through the core's forms (text as typed): typed data becomes a form here, so
// equal goldens show that the forms read exactly what the typed data says.
const text = (value) => value ?? '';

function material(m) {
  if (m.vault_document != null) throw new Error('a scan is linked from the vault, not through the form');
  return { kind: m.kind, title: m.title, valid_until: text(m.valid_until) };
}

function runStep(dossier, step) {
  switch (step.op) {
    case 'add_company': return dossier.addCompany(step.company);
    case 'use_company': return dossier.useCompany(step.uscc);
    case 'add_licence': return dossier.saveLicence(step.uscc, null, { ...step.licence, valid_until: text(step.licence.valid_until) });
    case 'add_material': return dossier.saveMaterial(step.uscc, null, material(step.material));
    case 'add_record': return dossier.saveRecord(step.uscc, null, { ...step.record, lookup_password: '' });
    case 'set_record_status': {
      const id = dossier.records(step.uscc)[step.record_index].id;
      return dossier.setRecordStatus(id, step.status, step.at);
    }
    default: throw new Error(`unknown op ${step.op}`);
  }
}

export function replay(core, scenario) {
  const app = core.ZhuanshuApp.open(scenario.now);
  const dossier = app.dossier();
  const stepErrors = [];
  scenario.steps.forEach((step, i) => {
    let error = null;
    try {
      runStep(dossier, step);
    } catch (e) {
      if (e instanceof Error) throw e; // a JS bug, not a core error
      error = e;
    }
    const expected = step.expect_error ?? null;
    const observed = error && { code: error.code, paths: error.issues.map((x) => x.path), hasUserMessage: !!error.userMessage };
    stepErrors.push({ step: i, expected, observed });
  });
  const companies = [];
  const exports = {};
  const dynamics = {};
  for (const c of dossier.companies()) {
    const uscc = c.company.uscc;
    const records = dossier.records(uscc);
    companies.push({
      uscc,
      name: c.company.name,
      current: c.current,
      size_class: c.size.class,
      stage: c.stage,
      age_years: c.age_years,
      district_name: c.district_name,
      industry_name: c.industry_name,
      licences: dossier.licences(uscc).map((l) => l.days_left),
      materials: dossier.materials(uscc).length,
      records: records.length,
      last_status: records.map((r) => r.history[r.history.length - 1].status),
    });
    exports[uscc] = JSON.parse(dossier.exportJson(uscc));
    dynamics[uscc] = app.dynamics().list(uscc).map((d) => ({
      id: d.id, kind: d.kind, severity: d.severity, due: d.due, days_left: d.days_left, workdays_left: d.workdays_left,
    }));
  }
  return { stepErrors, current: dossier.current().company.uscc, companies, exports, dynamics };
}

/** The searches of the golden scenario, indexed by the search module from the app module's entries. */
export function replayAssistant(core, search, scenario) {
  const assistant = search.SearchIndex.faq(core.ZhuanshuApp.open(scenario.now).assistant().entries());
  const searches = scenario.searches.map((query) => {
    const hits = assistant.search(query, scenario.limit);
    return { query, ids: hits.map((h) => h.id), question_highlights: hits.length ? hits[0].question_highlights : null };
  });
  const suggests = scenario.suggests.map((prefix) => ({ prefix, ids: assistant.suggest(prefix).map((s) => s.id) }));
  return { searches, suggests };
}
