//! `cargo xtask parity`: every public service method of the core is on both bindings (UniFFI for Kotlin and
//! Swift, wasm-bindgen for the web app), under the same name and with the same shape, unless
//! `bindings/parity-allow.txt` says why not.
//!
//! The check reads the sources with syn (nothing is compiled):
//! - the core: every `pub fn` with `self` in the inherent impls of the borrowed services (`impl
//!   Dossier<'_>`, `impl<'a> Vault<'a>` …) anywhere under core/src, and the free functions of
//!   [`CORE_FUNCTIONS`];
//! - FFI (bindings/ffi): the methods of the `#[uniffi::export]` impls of the `…Api` objects, reached by
//!   `app.<service>()`, and the exported free functions;
//! - wasm (bindings/wasm): the same of the `#[wasm_bindgen]` impls and functions; the search module
//!   (bindings/wasm-search) stands in for core methods of the services in [`SEARCH_MODULE_SERVES`] that
//!   have its exports' names (`SearchIndex.search` is `assistant.search` and `guide.search`).
//!
//! A shape is the parameter names and the TypeScript types of the parameters and of the result, all
//! mapped by [`ts_type`]; wasm methods that pass `JsValue` say their types with wasm-bindgen's own
//! `unchecked_param_type` / `unchecked_return_type` (which also make the generated .d.ts precise), and
//! those strings are compared, so they are checked rather than trusted. Methods only the bindings have
//! (`import_kb` …) must agree between FFI and wasm.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::{Attribute, Expr, FnArg, Lit, Meta, Pat, ReturnType, Signature, Token, Type, Visibility};

pub const FFI_FILE: &str = "bindings/ffi/src/lib.rs";
pub const WASM_FILE: &str = "bindings/wasm/src/lib.rs";
pub const SEARCH_FILE: &str = "bindings/wasm-search/src/lib.rs";
pub const ALLOW_FILE: &str = "bindings/parity-allow.txt";
const CORE_DIR: &str = "core/src/";

/// The services: key (as in `app.dossier()` and the allow-list), the core type, the binding object.
const SERVICES: &[(&str, &str, &str)] = &[
    ("dossier", "Dossier", "DossierApi"),
    ("dynamics", "Dynamics", "DynamicsApi"),
    ("policies", "Policies", "PolicyApi"),
    ("vault", "Vault", "VaultApi"),
    ("guide", "Guide", "GuideApi"),
    ("assistant", "Assistant", "AssistantApi"),
    ("feed", "Feed", "FeedApi"),
];

/// The app handle of both bindings; its methods other than the service accessors are rows of `app`.
const APP: &str = "ZhuanshuApp";

/// Free functions of the core that the bindings export at top level (service `top`): the binding's name
/// and the core's path below the crate root.
pub const CORE_FUNCTIONS: &[(&str, &str)] = &[
    ("labels", "labels::labels"),
    ("days_left", "labels::days_left"),
    ("uscc_normalize", "dossier::uscc::normalize"),
    ("parse_yuan", "dossier::money::parse_yuan"),
    ("format_yuan", "dossier::money::format_yuan"),
];

/// Services whose core methods the web app's search module may carry (by the same name).
const SEARCH_MODULE_SERVES: &[&str] = &["assistant", "guide", "vault"];

/// The source files the check reads, by path relative to the workspace root.
#[derive(Clone, Default)]
pub struct Sources {
    pub files: BTreeMap<String, String>,
}

impl Sources {
    /// The real tree: core/src/**/*.rs, the three binding files and the allow-list.
    pub fn load(root: &Path) -> Result<Sources, String> {
        fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) -> Result<(), String> {
            let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            for entry in entries {
                let path = entry.map_err(|e| e.to_string())?.path();
                if path.is_dir() {
                    walk(&path, root, out)?;
                } else if path.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                    out.insert(relative(&path, root), text);
                }
            }
            Ok(())
        }
        fn relative(path: &Path, root: &Path) -> String {
            let rel = path.strip_prefix(root).unwrap_or(path);
            rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
        }
        let mut files = BTreeMap::new();
        walk(&root.join(CORE_DIR), root, &mut files)?;
        for name in [FFI_FILE, WASM_FILE, SEARCH_FILE, ALLOW_FILE] {
            let text = std::fs::read_to_string(root.join(name)).map_err(|e| format!("cannot read {name}: {e}"))?;
            files.insert(name.to_owned(), text);
        }
        Ok(Sources { files })
    }

    fn get(&self, name: &str) -> &str {
        self.files.get(name).map(String::as_str).unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------

/// Type names that stand for other types where a file is read: the core's non-generic `type` aliases
/// (`Answers`) and the file's own `use … as …` renames (`Item as GuideItem`).
#[derive(Clone, Default)]
pub struct Names {
    aliases: HashMap<String, Type>,
}

impl Names {
    fn with_renames(&self, file: &syn::File) -> Names {
        fn walk(tree: &syn::UseTree, out: &mut HashMap<String, Type>) {
            match tree {
                syn::UseTree::Path(p) => walk(&p.tree, out),
                syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, out)),
                syn::UseTree::Rename(r) if r.ident != r.rename => {
                    if let Ok(ty) = syn::parse_str::<Type>(&r.ident.to_string()) {
                        out.insert(r.rename.to_string(), ty);
                    }
                }
                _ => {}
            }
        }
        let mut names = self.clone();
        for item in &file.items {
            if let syn::Item::Use(u) = item {
                walk(&u.tree, &mut names.aliases);
            }
        }
        names
    }
}

fn last_segment(path: &syn::Path) -> Option<&syn::PathSegment> {
    path.segments.last()
}

fn type_args(segment: &syn::PathSegment) -> Vec<&Type> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn is_u8(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("u8"))
}

fn array_of(element: String) -> String {
    if element.contains(' ') { format!("({element})[]") } else { format!("{element}[]") }
}

/// The TypeScript type of a Rust type, as both bindings deliver it: strings, numbers (every integer and
/// float), `boolean`, `void` for `()`, `T[]` for vectors and slices (`Uint8Array` for bytes), `T | null`
/// for options, `{ [key in K]: V }` for maps (what `Record<K, V>` stands for; the core's own `Record` type
/// shadows that name in the .d.ts), `string` for chrono's dates and times and for paths; references,
/// `Arc`/`Rc`/`Box`/`Cow`, `Result` (its value), `dyn`/`impl` (their trait; `AsRef<T>`/`Into<T>`: `T`)
/// are looked through; any other type is its last path segment (`zhuanshu::dossier::Company` →
/// `Company`), after the aliases and renames of `names`.
pub fn ts_type(ty: &Type, names: &Names) -> String {
    match ty {
        Type::Reference(r) => ts_type(&r.elem, names),
        Type::Paren(p) => ts_type(&p.elem, names),
        Type::Group(g) => ts_type(&g.elem, names),
        Type::Slice(s) if is_u8(&s.elem) => "Uint8Array".into(),
        Type::Slice(s) => array_of(ts_type(&s.elem, names)),
        Type::Array(a) if is_u8(&a.elem) => "Uint8Array".into(),
        Type::Array(a) => array_of(ts_type(&a.elem, names)),
        Type::Tuple(t) if t.elems.is_empty() => "void".into(),
        Type::Tuple(t) => format!("[{}]", t.elems.iter().map(|e| ts_type(e, names)).collect::<Vec<_>>().join(", ")),
        Type::Never(_) => "never".into(),
        Type::TraitObject(t) => trait_type(t.bounds.iter(), names),
        Type::ImplTrait(t) => trait_type(t.bounds.iter(), names),
        Type::Path(p) => {
            let Some(segment) = last_segment(&p.path) else { return "unknown".into() };
            let name = segment.ident.to_string();
            let args = type_args(segment);
            let arg = |i: usize| args.get(i).map(|t| ts_type(t, names)).unwrap_or_else(|| "unknown".into());
            match name.as_str() {
                "String" | "str" | "char" | "NaiveDate" | "NaiveDateTime" | "NaiveTime" | "Path" | "PathBuf" => {
                    "string".into()
                }
                "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128" | "usize"
                | "f32" | "f64" => "number".into(),
                "bool" => "boolean".into(),
                "Vec" | "VecDeque" if args.first().is_some_and(|t| is_u8(t)) => "Uint8Array".into(),
                "Vec" | "VecDeque" => array_of(arg(0)),
                "Option" => format!("{} | null", arg(0)),
                // `Record<K, V>` spelled out: the core has a type named `Record`, which shadows TypeScript's
                // in the generated .d.ts.
                "HashMap" | "BTreeMap" => format!("{{ [key in {}]: {} }}", arg(0), arg(1)),
                "Arc" | "Rc" | "Box" | "Cow" | "Result" if !args.is_empty() => arg(0),
                _ => match names.aliases.get(&name) {
                    Some(target) if args.is_empty() && !matches!(target, Type::Path(t) if t.path.is_ident(&name)) => {
                        ts_type(target, names)
                    }
                    _ => name,
                },
            }
        }
        other => quote_type(other),
    }
}

fn trait_type<'a>(mut bounds: impl Iterator<Item = &'a syn::TypeParamBound>, names: &Names) -> String {
    let trait_bound = bounds.find_map(|b| match b {
        syn::TypeParamBound::Trait(t) => Some(t),
        _ => None,
    });
    let Some(segment) = trait_bound.and_then(|t| last_segment(&t.path)) else { return "unknown".into() };
    match (segment.ident.to_string().as_str(), type_args(segment).first()) {
        ("AsRef" | "Into" | "Borrow", Some(inner)) => ts_type(inner, names),
        (name, _) => name.to_owned(),
    }
}

fn quote_type(ty: &Type) -> String {
    use quote::ToTokens;
    ty.to_token_stream().to_string()
}

/// Whitespace-normalised TypeScript, for comparing: no blanks around punctuation, single blanks elsewhere.
fn normalise(ts: &str) -> String {
    let words = ts.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    let chars: Vec<char> = words.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let punct = |c: char| "<>,|[](){}:;&?".contains(c);
        if c == ' ' && (chars.get(i + 1).is_some_and(|&n| punct(n)) || i > 0 && punct(chars[i - 1])) {
            continue;
        }
        out.push(c);
    }
    out
}

/// `list_current` → `listCurrent`.
pub fn lower_camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
struct Shape {
    params: Vec<(String, String)>,
    ret: String,
}

impl Shape {
    fn show(&self) -> String {
        let params = self.params.iter().map(|(n, t)| format!("{n}: {t}")).collect::<Vec<_>>().join(", ");
        format!("({params}) -> {}", self.ret)
    }

    fn same(&self, other: &Shape) -> bool {
        self.params.len() == other.params.len()
            && self.params.iter().zip(&other.params).all(|(a, b)| a.0 == b.0 && normalise(&a.1) == normalise(&b.1))
            && normalise(&self.ret) == normalise(&other.ret)
    }

    fn without(&self, supplied: &[String]) -> Shape {
        Shape {
            params: self.params.iter().filter(|(n, _)| !supplied.contains(n)).cloned().collect(),
            ret: self.ret.clone(),
        }
    }
}

/// One method or function as a binding (or the core) has it.
#[derive(Clone, Debug)]
struct Method {
    shape: Shape,
    /// The name JavaScript sees (wasm only).
    js_name: Option<String>,
    /// Where it was found (for the search module: `SearchIndex.search` …).
    via: Option<String>,
    /// Problems that no allow-list entry excuses (a `JsValue` without its type).
    problems: Vec<String>,
}

fn param_name(pat: &Pat) -> String {
    match pat {
        Pat::Ident(i) => i.ident.to_string(),
        Pat::Type(t) => param_name(&t.pat),
        Pat::Reference(r) => param_name(&r.pat),
        _ => "_".into(),
    }
}

fn has_receiver(sig: &Signature) -> bool {
    sig.receiver().is_some()
}

fn return_type(sig: &Signature) -> Option<&Type> {
    match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some(ty),
    }
}

/// The shape of a core or FFI signature: every typed parameter and the result, mapped by [`ts_type`].
fn plain_shape(sig: &Signature, names: &Names) -> Shape {
    let params = sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            FnArg::Typed(t) => Some((param_name(&t.pat), ts_type(&t.ty, names))),
            FnArg::Receiver(_) => None,
        })
        .collect();
    Shape { params, ret: return_type(sig).map_or_else(|| "void".into(), |t| ts_type(t, names)) }
}

/// `#[wasm_bindgen(key = value, flag)]` options of the attributes, in order.
fn bindgen_options(attrs: &[Attribute]) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().segments.last().is_some_and(|s| s.ident == "wasm_bindgen")) {
        let Meta::List(_) = &attr.meta else { continue };
        let Ok(metas) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else { continue };
        for meta in metas {
            match meta {
                Meta::Path(p) => out.push((path_text(&p), None)),
                Meta::NameValue(nv) => {
                    let value = match &nv.value {
                        Expr::Lit(l) => match &l.lit {
                            Lit::Str(s) => Some(s.value()),
                            other => Some(quote::ToTokens::to_token_stream(other).to_string()),
                        },
                        Expr::Path(p) => Some(path_text(&p.path)),
                        other => Some(quote::ToTokens::to_token_stream(other).to_string()),
                    };
                    out.push((path_text(&nv.path), value));
                }
                Meta::List(l) => out.push((path_text(&l.path), None)),
            }
        }
    }
    out
}

fn option<'a>(options: &'a [(String, Option<String>)], key: &str) -> Option<&'a str> {
    options.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.as_deref())
}

fn path_text(path: &syn::Path) -> String {
    path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::")
}

fn is_js_value(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => is_js_value(&r.elem),
        Type::Path(p) => last_segment(&p.path).is_some_and(|s| s.ident == "JsValue"),
        _ => false,
    }
}

/// The type a wasm function's `Result<T, JsValue>` or plain return carries (`None`: no return).
fn wasm_ok_type(sig: &Signature) -> Option<&Type> {
    let ty = return_type(sig)?;
    if let Type::Path(p) = ty
        && let Some(segment) = last_segment(&p.path)
        && segment.ident == "Result"
        && let Some(ok) = type_args(segment).first()
    {
        return Some(ok);
    }
    Some(ty)
}

/// The shape of a wasm-bindgen function: `JsValue` parameters and results take their type from
/// `unchecked_param_type` / `unchecked_return_type`; a promise's from `unchecked_return_type =
/// "Promise<T>"` (compared as `T`, as an async core method's result is).
fn wasm_method(sig: &Signature, attrs: &[Attribute], names: &Names) -> Method {
    let options = bindgen_options(attrs);
    let mut problems = Vec::new();
    let mut params = Vec::new();
    for arg in &sig.inputs {
        let FnArg::Typed(t) = arg else { continue };
        let name = param_name(&t.pat);
        let declared = option(&bindgen_options(&t.attrs), "unchecked_param_type").map(str::to_owned);
        let ts = match declared {
            Some(ts) => ts,
            None if is_js_value(&t.ty) => {
                problems.push(format!("parameter `{name}` is a JsValue without #[wasm_bindgen(unchecked_param_type)]"));
                "JsValue".into()
            }
            None => ts_type(&t.ty, names),
        };
        params.push((name, ts));
    }
    let ok = wasm_ok_type(sig);
    let promise =
        ok.is_some_and(|t| matches!(t, Type::Path(p) if last_segment(&p.path).is_some_and(|s| s.ident == "Promise")));
    let ret = match option(&options, "unchecked_return_type") {
        Some(declared) if promise => match declared.trim().strip_prefix("Promise<").and_then(|r| r.strip_suffix('>')) {
            Some(inner) => inner.to_owned(),
            None => {
                problems.push(format!("returns a Promise but declares `{declared}`, not `Promise<…>`"));
                declared.to_owned()
            }
        },
        Some(declared) => declared.to_owned(),
        None => match ok {
            None => "void".into(),
            Some(t) if is_js_value(t) || promise => {
                problems.push("returns a JsValue without #[wasm_bindgen(unchecked_return_type)]".into());
                "JsValue".into()
            }
            Some(t) => ts_type(t, names),
        },
    };
    let js_name = option(&options, "js_name").map(str::to_owned).unwrap_or_else(|| sig.ident.to_string());
    Method { shape: Shape { params, ret }, js_name: Some(js_name), via: None, problems }
}

fn plain_method(sig: &Signature, names: &Names) -> Method {
    Method { shape: plain_shape(sig, names), js_name: None, via: None, problems: Vec::new() }
}

fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg") && a.parse_args::<syn::Path>().is_ok_and(|p| p.is_ident("test")))
}

fn has_attr(attrs: &[Attribute], last: &str) -> bool {
    attrs.iter().any(|a| a.path().segments.last().is_some_and(|s| s.ident == last))
}

fn is_uniffi(attrs: &[Attribute], what: &str) -> bool {
    attrs.iter().any(|a| {
        let segments: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
        segments == ["uniffi", what]
    })
}

fn self_type_name(ty: &Type) -> Option<(String, bool)> {
    let Type::Path(p) = ty else { return None };
    let segment = last_segment(&p.path)?;
    let borrowed = matches!(&segment.arguments, syn::PathArguments::AngleBracketed(a)
        if a.args.iter().any(|g| matches!(g, syn::GenericArgument::Lifetime(_))));
    Some((segment.ident.to_string(), borrowed))
}

fn parse(name: &str, text: &str) -> Result<syn::File, String> {
    syn::parse_file(text).map_err(|e| format!("{name}: cannot parse: {e}"))
}

// ---------------------------------------------------------------------------------------------------------
// Reading each side
// ---------------------------------------------------------------------------------------------------------

type Key = (String, String);
type Methods = BTreeMap<Key, Method>;

fn service_of_core(ty: &str) -> Option<&'static str> {
    SERVICES.iter().find(|s| s.1 == ty).map(|s| s.0)
}

/// An exported object the check does not know: its methods would escape the check, so it is an error.
fn unknown_object(file: &str, ty: &str) -> String {
    format!("{file}: `{ty}` exports methods but is no service the parity check knows (add it to SERVICES)")
}

fn service_of_api(ty: &str) -> Option<&'static str> {
    SERVICES.iter().find(|s| s.2 == ty).map(|s| s.0)
}

/// The core's non-generic type aliases (a name defined twice is left out: it would be ambiguous).
fn core_aliases(files: &[(String, syn::File)]) -> Names {
    struct Aliases(BTreeMap<String, Vec<Type>>);
    impl<'ast> Visit<'ast> for Aliases {
        fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
            if item.generics.params.is_empty() {
                self.0.entry(item.ident.to_string()).or_default().push((*item.ty).clone());
            }
        }
    }
    let mut found = Aliases(BTreeMap::new());
    for (_, file) in files {
        found.visit_file(file);
    }
    let aliases = found.0.into_iter().filter(|(_, v)| v.len() == 1).map(|(k, mut v)| (k, v.remove(0))).collect();
    Names { aliases }
}

struct CoreMethods<'n> {
    names: &'n Names,
    out: Methods,
}

impl<'ast> Visit<'ast> for CoreMethods<'_> {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_cfg_test(&item.attrs) {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if item.trait_.is_some() || is_cfg_test(&item.attrs) {
            return;
        }
        let Some((ty, true)) = self_type_name(&item.self_ty) else { return };
        let Some(service) = service_of_core(&ty) else { return };
        for member in &item.items {
            let syn::ImplItem::Fn(f) = member else { continue };
            let name = f.sig.ident.to_string();
            if !matches!(f.vis, Visibility::Public(_))
                || !has_receiver(&f.sig)
                || name == "new"
                || is_cfg_test(&f.attrs)
            {
                continue;
            }
            self.out.entry((service.to_owned(), name)).or_insert_with(|| plain_method(&f.sig, self.names));
        }
    }
}

struct Core {
    methods: Methods,
    errors: Vec<String>,
}

fn read_core(files: &[(String, syn::File)]) -> Core {
    let global = core_aliases(files);
    let mut methods = Methods::new();
    for (_, file) in files {
        let names = global.with_renames(file);
        let mut visitor = CoreMethods { names: &names, out: Methods::new() };
        visitor.visit_file(file);
        for (k, v) in visitor.out {
            methods.entry(k).or_insert(v);
        }
    }
    let mut errors = Vec::new();
    for (binding, path) in CORE_FUNCTIONS {
        let mut parts: Vec<&str> = path.split("::").collect();
        let function = parts.pop().unwrap_or_default();
        let module = parts.join("/");
        let candidates = if module.is_empty() {
            vec![format!("{CORE_DIR}lib.rs")]
        } else {
            vec![format!("{CORE_DIR}{module}.rs"), format!("{CORE_DIR}{module}/mod.rs")]
        };
        let found = files.iter().filter(|(n, _)| candidates.contains(n)).find_map(|(_, file)| {
            file.items.iter().find_map(|item| match item {
                syn::Item::Fn(f) if f.sig.ident == function && matches!(f.vis, Visibility::Public(_)) => {
                    Some(plain_method(&f.sig, &global.with_renames(file)))
                }
                _ => None,
            })
        });
        match found {
            Some(m) => {
                methods.insert(("top".into(), (*binding).to_owned()), m);
            }
            None => errors.push(format!(
                "core function `{path}` (exported as `{binding}`) not found: update CORE_FUNCTIONS in xtask/src/parity.rs"
            )),
        }
    }
    Core { methods, errors }
}

/// A binding: its methods by (service, name), and which services its app handle reaches.
#[derive(Default)]
struct Binding {
    methods: Methods,
    accessors: BTreeMap<String, String>,
}

impl Binding {
    /// Records a method of the app handle: a service accessor, or a row of `app`.
    fn app_method(&mut self, name: String, api: String, method: Method) {
        if service_of_api(&api).is_some() {
            self.accessors.insert(name, api);
        } else {
            self.methods.insert(("app".into(), name), method);
        }
    }
}

fn read_ffi(src: &Sources, core_names: &Names) -> Result<Binding, String> {
    let file = parse(FFI_FILE, src.get(FFI_FILE))?;
    let names = core_names.with_renames(&file);
    let mut binding = Binding::default();
    for item in &file.items {
        match item {
            syn::Item::Impl(i) if is_uniffi(&i.attrs, "export") && i.trait_.is_none() => {
                let Some((ty, _)) = self_type_name(&i.self_ty) else { continue };
                for member in &i.items {
                    let syn::ImplItem::Fn(f) = member else { continue };
                    if !matches!(f.vis, Visibility::Public(_)) || !has_receiver(&f.sig) {
                        continue;
                    }
                    let name = f.sig.ident.to_string();
                    let method = plain_method(&f.sig, &names);
                    if ty == APP {
                        binding.app_method(name, method.shape.ret.clone(), method);
                    } else if let Some(service) = service_of_api(&ty) {
                        binding.methods.insert((service.into(), name), method);
                    } else {
                        return Err(unknown_object(FFI_FILE, &ty));
                    }
                }
            }
            syn::Item::Fn(f) if is_uniffi(&f.attrs, "export") && matches!(f.vis, Visibility::Public(_)) => {
                binding.methods.insert(("top".into(), f.sig.ident.to_string()), plain_method(&f.sig, &names));
            }
            _ => {}
        }
    }
    Ok(binding)
}

/// The `#[wasm_bindgen]` exports of one module: (impl type or `None` for free functions, name, method).
fn wasm_exports(name: &str, text: &str, core_names: &Names) -> Result<Vec<(Option<String>, String, Method)>, String> {
    let file = parse(name, text)?;
    let names = core_names.with_renames(&file);
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Impl(i) if has_attr(&i.attrs, "wasm_bindgen") && i.trait_.is_none() => {
                let Some((ty, _)) = self_type_name(&i.self_ty) else { continue };
                for member in &i.items {
                    let syn::ImplItem::Fn(f) = member else { continue };
                    if matches!(f.vis, Visibility::Public(_)) && has_receiver(&f.sig) {
                        let mut method = wasm_method(&f.sig, &f.attrs, &names);
                        if ty == APP {
                            // Accessors are recognised by the Rust return type, not a declared one.
                            method.shape.ret =
                                return_type(&f.sig).map_or_else(|| "void".into(), |t| ts_type(t, &names));
                        }
                        out.push((Some(ty.clone()), f.sig.ident.to_string(), method));
                    }
                }
            }
            syn::Item::Fn(f) if has_attr(&f.attrs, "wasm_bindgen") && matches!(f.vis, Visibility::Public(_)) => {
                out.push((None, f.sig.ident.to_string(), wasm_method(&f.sig, &f.attrs, &names)));
            }
            _ => {}
        }
    }
    Ok(out)
}

fn read_wasm(src: &Sources, core_names: &Names, core: &Methods) -> Result<Binding, String> {
    let mut binding = Binding::default();
    for (ty, name, method) in wasm_exports(WASM_FILE, src.get(WASM_FILE), core_names)? {
        match ty.as_deref() {
            None => {
                binding.methods.insert(("top".into(), name), method);
            }
            Some(APP) => binding.app_method(name, method.shape.ret.clone(), method),
            Some(ty) => match service_of_api(ty) {
                Some(service) => {
                    binding.methods.insert((service.into(), name), method);
                }
                None => return Err(unknown_object(WASM_FILE, ty)),
            },
        }
    }
    // The search module carries core methods of its services by their names; its other exports
    // (`SearchIndex.build`, `loadDictionary` …) are its own.
    for (ty, name, mut method) in wasm_exports(SEARCH_FILE, src.get(SEARCH_FILE), core_names)? {
        for service in SEARCH_MODULE_SERVES {
            let key = ((*service).to_owned(), name.clone());
            if core.contains_key(&key) && !binding.methods.contains_key(&key) {
                method.via = Some(match &ty {
                    Some(ty) => format!("search module {ty}.{}", method.js_name.as_deref().unwrap_or(&name)),
                    None => format!("search module {}", method.js_name.as_deref().unwrap_or(&name)),
                });
                binding.methods.insert(key, method.clone());
            }
        }
    }
    Ok(binding)
}

// ---------------------------------------------------------------------------------------------------------
// The allow-list
// ---------------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// The binding may lack the method.
    Missing,
    /// The binding's shape may differ (or, with "binding supplies X", lacks parameter X).
    Shape,
}

#[derive(Debug)]
struct Entry {
    line: usize,
    key: Key,
    kind: Kind,
    ffi: bool,
    wasm: bool,
    reason: String,
    /// "binding supplies `today` …": the parameter the binding fills in itself.
    supplies: Option<String>,
    used: Cell<bool>,
}

impl Entry {
    fn covers(&self, key: &Key, kind: Kind, side: SideName) -> bool {
        &self.key == key && self.kind == kind && if side == SideName::Ffi { self.ffi } else { self.wasm }
    }

    fn text(&self) -> String {
        format!("{}:{}: `{}.{}`", ALLOW_FILE, self.line, self.key.0, self.key.1)
    }
}

fn read_allow_list(text: &str, errors: &mut Vec<String>) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut words = trimmed.split_whitespace();
        let (Some(method), Some(kind)) = (words.next(), words.next()) else {
            errors.push(format!("{ALLOW_FILE}:{line_no}: expected `service.method  kind  reason`"));
            continue;
        };
        let reason = words.collect::<Vec<_>>().join(" ");
        let Some((service, name)) = method.split_once('.') else {
            errors.push(format!("{ALLOW_FILE}:{line_no}: `{method}` is not `service.method`"));
            continue;
        };
        let (kind, ffi, wasm) = match kind {
            "ffi" => (Kind::Missing, true, false),
            "wasm" => (Kind::Missing, false, true),
            "both" => (Kind::Missing, true, true),
            "shape-ffi" => (Kind::Shape, true, false),
            "shape-wasm" => (Kind::Shape, false, true),
            "shape-both" => (Kind::Shape, true, true),
            other => {
                errors.push(format!(
                    "{ALLOW_FILE}:{line_no}: unknown kind `{other}` (ffi, wasm, both, shape-ffi, shape-wasm, shape-both)"
                ));
                continue;
            }
        };
        if reason.is_empty() {
            errors.push(format!("{ALLOW_FILE}:{line_no}: `{method}` gives no reason"));
            continue;
        }
        let supplies = reason.strip_prefix("binding supplies ").filter(|_| kind == Kind::Shape).map(|rest| {
            rest.split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
                .to_owned()
        });
        entries.push(Entry {
            line: line_no,
            key: (service.to_owned(), name.to_owned()),
            kind,
            ffi,
            wasm,
            reason,
            supplies,
            used: Cell::new(false),
        });
    }
    entries
}

// ---------------------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum SideName {
    Ffi,
    Wasm,
}

impl SideName {
    fn label(self) -> &'static str {
        match self {
            SideName::Ffi => "FFI",
            SideName::Wasm => "wasm",
        }
    }
}

/// One line of the table.
#[derive(Debug)]
pub struct Row {
    pub service: String,
    pub method: String,
    pub core: bool,
    pub ffi: Mark,
    pub wasm: Mark,
    pub reasons: Vec<String>,
    pub via: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mark {
    /// Present, and the shape agrees (or differs as allow-listed).
    Present,
    /// Absent (allowed, or a violation).
    Absent,
    /// Present or absent against the rules (the violations say how).
    Wrong,
}

impl Mark {
    fn symbol(self) -> &'static str {
        match self {
            Mark::Present => "✓",
            Mark::Absent => "–",
            Mark::Wrong => "✗",
        }
    }
}

pub struct Report {
    pub rows: Vec<Row>,
    pub violations: Vec<String>,
    pub allowed: usize,
}

impl Report {
    /// The table, then a summary line.
    pub fn table(&self) -> String {
        let width = self.rows.iter().map(|r| r.service.len() + r.method.len() + 1).max().unwrap_or(6).max(6);
        let mut out = String::new();
        let _ = writeln!(out, "{:<width$}  core  ffi  wasm  allow-list reason", "method");
        for r in &self.rows {
            let name = format!("{}.{}", r.service, r.method);
            let mut reason = r.reasons.join("; ");
            if let Some(via) = &r.via {
                reason = if reason.is_empty() { format!("(wasm: {via})") } else { format!("(wasm: {via}) {reason}") };
            }
            let _ = writeln!(
                out,
                "{name:<width$}  {:<4}  {:<3}  {:<4}  {reason}",
                if r.core { "✓" } else { "–" },
                r.ffi.symbol(),
                r.wasm.symbol(),
            );
        }
        let count = |f: &dyn Fn(&Row) -> bool| self.rows.iter().filter(|r| f(r)).count();
        let _ = writeln!(
            out,
            "parity: {} methods; core {}, FFI {}, wasm {}; {} allow-list entries; {} violations",
            self.rows.len(),
            count(&|r| r.core),
            count(&|r| r.ffi == Mark::Present),
            count(&|r| r.wasm == Mark::Present),
            self.allowed,
            self.violations.len()
        );
        out
    }
}

/// Checks the sources; the report holds the table and every violation.
pub fn check(src: &Sources) -> Result<Report, String> {
    let files: Vec<(String, syn::File)> = src
        .files
        .iter()
        .filter(|(n, _)| n.starts_with(CORE_DIR))
        .map(|(n, t)| parse(n, t).map(|f| (n.clone(), f)))
        .collect::<Result<_, _>>()?;
    let core = read_core(&files);
    let names = core_aliases(&files);
    let ffi = read_ffi(src, &names)?;
    let wasm = read_wasm(src, &names, &core.methods)?;
    let mut violations = core.errors.clone();
    let entries = read_allow_list(src.get(ALLOW_FILE), &mut violations);

    // Each service is reached the same way on both.
    for (service, _, api) in SERVICES {
        for (side, binding) in [(SideName::Ffi, &ffi), (SideName::Wasm, &wasm)] {
            if binding.accessors.get(*service).map(String::as_str) != Some(*api) {
                violations.push(format!("{}: `{APP}.{service}()` returning `{api}` is missing", side.label()));
            }
        }
    }

    let keys: BTreeSet<&Key> = core.methods.keys().chain(ffi.methods.keys()).chain(wasm.methods.keys()).collect();
    let order = |k: &Key| {
        let service = SERVICES.iter().position(|s| s.0 == k.0).unwrap_or(if k.0 == "top" { 98 } else { 99 });
        (service, k.1.clone())
    };
    let mut keys: Vec<&Key> = keys.into_iter().collect();
    keys.sort_by_key(|k| order(k));

    let mut rows = Vec::new();
    for key in keys {
        let name = format!("{}.{}", key.0, key.1);
        let core_method = core.methods.get(key);
        let mut row = Row {
            service: key.0.clone(),
            method: key.1.clone(),
            core: core_method.is_some(),
            ffi: Mark::Absent,
            wasm: Mark::Absent,
            reasons: Vec::new(),
            via: wasm.methods.get(key).and_then(|m| m.via.clone()),
        };
        let note = |entry: &Entry, row: &mut Row| {
            entry.used.set(true);
            if !row.reasons.contains(&entry.reason) {
                row.reasons.push(entry.reason.clone());
            }
        };
        for (side, binding, other) in [(SideName::Ffi, &ffi, &wasm), (SideName::Wasm, &wasm, &ffi)] {
            let mark = match binding.methods.get(key) {
                None => {
                    let allowed = entries.iter().find(|e| e.covers(key, Kind::Missing, side));
                    match allowed {
                        Some(e) => {
                            note(e, &mut row);
                            Mark::Absent
                        }
                        None => {
                            let has =
                                if core_method.is_some() { "the core has it" } else { "the other binding has it" };
                            violations.push(format!("`{name}` is missing from {} ({has})", side.label()));
                            Mark::Wrong
                        }
                    }
                }
                Some(m) => {
                    let mut ok = true;
                    if let Some(e) = entries.iter().find(|e| e.covers(key, Kind::Missing, side)) {
                        violations.push(format!(
                            "{} says {} lacks it, but it is there: remove the entry",
                            e.text(),
                            side.label()
                        ));
                        e.used.set(true);
                    }
                    for p in &m.problems {
                        violations.push(format!("{} `{name}`: {p}", side.label()));
                        ok = false;
                    }
                    if let Some(js) = &m.js_name {
                        let expected = lower_camel(&key.1);
                        if js != &expected {
                            violations.push(format!(
                                "{} `{name}` is exported to JavaScript as `{js}`; the name must be `{expected}`",
                                side.label()
                            ));
                            ok = false;
                        }
                    }
                    // Against the core's shape; for a method only the bindings have, FFI against wasm
                    // (checked once, on the wasm side).
                    let reference = match core_method {
                        Some(c) => Some((c.shape.clone(), "core")),
                        None if side == SideName::Wasm => other.methods.get(key).map(|o| (o.shape.clone(), "FFI")),
                        None => None,
                    };
                    if let Some((mut expected, against)) = reference {
                        let mut supplied = Vec::new();
                        for e in entries.iter().filter(|e| e.covers(key, Kind::Shape, side) && e.supplies.is_some()) {
                            let param = e.supplies.clone().unwrap_or_default();
                            if core_method.is_some_and(|c| c.shape.params.iter().any(|(n, _)| *n == param)) {
                                note(e, &mut row);
                                supplied.push(param);
                            }
                        }
                        expected = expected.without(&supplied);
                        let excused = entries.iter().find(|e| {
                            (e.covers(key, Kind::Shape, side)
                                || core_method.is_none() && e.covers(key, Kind::Shape, SideName::Ffi))
                                && e.supplies.is_none()
                        });
                        if expected.same(&m.shape) {
                            if let Some(e) = excused {
                                violations.push(format!(
                                    "{} excuses a shape difference on {}, but the shapes agree: remove the entry",
                                    e.text(),
                                    side.label()
                                ));
                                e.used.set(true);
                            }
                        } else if let Some(e) = excused {
                            note(e, &mut row);
                        } else {
                            let via = m.via.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
                            violations.push(format!(
                                "{} `{name}`{via} has the shape {}, but {against} has {}",
                                side.label(),
                                m.shape.show(),
                                expected.show()
                            ));
                            ok = false;
                        }
                    }
                    if ok { Mark::Present } else { Mark::Wrong }
                }
            };
            match side {
                SideName::Ffi => row.ffi = mark,
                SideName::Wasm => row.wasm = mark,
            }
        }
        rows.push(row);
    }
    for e in entries.iter().filter(|e| !e.used.get()) {
        let why = match (&e.supplies, e.kind) {
            (Some(p), Kind::Shape) => format!("the core method has no parameter `{p}`, or the method does not exist"),
            _ => "no such method, or nothing left to excuse".into(),
        };
        violations.push(format!("{} matches nothing ({why}): remove or fix the entry", e.text()));
    }
    Ok(Report { rows, violations, allowed: entries.len() })
}

/// `cargo xtask parity`: prints the table; fails with the list of violations.
pub fn run() -> Result<(), String> {
    let src = Sources::load(&crate::root())?;
    let report = check(&src)?;
    print!("{}", report.table());
    if report.violations.is_empty() {
        Ok(())
    } else {
        let mut text = format!("{} parity violations:", report.violations.len());
        for v in &report.violations {
            text.push_str("\n  - ");
            text.push_str(v);
        }
        Err(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> Sources {
        Sources::load(&crate::root()).expect("the tree")
    }

    fn violations(src: &Sources) -> Vec<String> {
        check(src).expect("parses").violations
    }

    /// The text without the method `name` (its doc comments and attributes included).
    fn remove_fn(text: &str, name: &str) -> String {
        let lines: Vec<&str> = text.lines().collect();
        let at = lines.iter().position(|l| l.trim_start().starts_with(&format!("pub fn {name}("))).expect("the fn");
        let indent = lines[at].len() - lines[at].trim_start().len();
        let mut start = at;
        while start > 0 && {
            let prev = lines[start - 1].trim_start();
            prev.starts_with("#[") || prev.starts_with("///")
        } {
            start -= 1;
        }
        let close = format!("{}}}", " ".repeat(indent));
        let end = (at..lines.len()).find(|&i| lines[i] == close).expect("the closing brace");
        let mut out: Vec<&str> = lines[..start].to_vec();
        out.extend_from_slice(&lines[end + 1..]);
        out.join("\n")
    }

    fn edit(src: &Sources, file: &str, f: impl FnOnce(&str) -> String) -> Sources {
        let mut changed = src.clone();
        let text = f(src.get(file));
        changed.files.insert(file.to_owned(), text);
        changed
    }

    #[test]
    fn the_tree_is_in_parity() {
        let report = check(&real()).expect("parses");
        assert!(report.violations.is_empty(), "{}\n{}", report.table(), report.violations.join("\n"));
        assert!(report.rows.iter().any(|r| r.service == "dossier" && r.method == "companies" && r.core));
    }

    #[test]
    fn a_method_removed_from_wasm_fails() {
        let src = real();
        let changed = edit(&src, WASM_FILE, |t| remove_fn(t, "remove_record"));
        let v = violations(&changed);
        let found = v.iter().find(|v| v.contains("dossier.remove_record") && v.contains("wasm"));
        println!("without wasm's remove_record: {found:?}");
        assert!(found.is_some(), "{v:#?}");
    }

    #[test]
    fn a_method_removed_from_ffi_fails() {
        let src = real();
        let changed = edit(&src, FFI_FILE, |t| remove_fn(t, "remove_record"));
        let v = violations(&changed);
        let found = v.iter().find(|v| v.contains("dossier.remove_record") && v.contains("FFI"));
        println!("without FFI's remove_record: {found:?}");
        assert!(found.is_some(), "{v:#?}");
    }

    #[test]
    fn an_exported_object_the_check_does_not_know_fails() {
        let src = real();
        for file in [FFI_FILE, WASM_FILE] {
            let changed = edit(&src, file, |t| t.replace("impl AssistantApi {", "impl HelperApi {"));
            let e = check(&changed).err().unwrap_or_default();
            assert!(e.contains("`HelperApi` exports methods"), "{file}: {e}");
        }
    }

    #[test]
    fn a_wrong_type_annotation_fails() {
        let src = real();
        let wrong = "unchecked_return_type = \"Company[]\"";
        let changed = edit(&src, WASM_FILE, |t| t.replacen("unchecked_return_type = \"CompanyOverview[]\"", wrong, 1));
        let v = violations(&changed);
        assert!(v.iter().any(|v| v.contains("dossier.companies") && v.contains("wasm")), "{v:#?}");
    }

    #[test]
    fn a_js_value_without_its_type_fails() {
        let src = real();
        let changed = edit(&src, WASM_FILE, |t| t.replacen("unchecked_return_type = \"CompanyOverview[]\"", "", 1));
        let v = violations(&changed);
        assert!(v.iter().any(|v| v.contains("dossier.companies") && v.contains("unchecked_return_type")), "{v:#?}");
    }

    #[test]
    fn a_renamed_parameter_and_a_wrong_js_name_fail() {
        let src = real();
        let changed = edit(&src, FFI_FILE, |t| {
            t.replacen("pub fn company(&self, uscc: String)", "pub fn company(&self, code: String)", 1)
        });
        let v = violations(&changed);
        assert!(v.iter().any(|v| v.contains("dossier.company") && v.contains("code: string")), "{v:#?}");
        let changed = edit(&src, WASM_FILE, |t| t.replacen("js_name = listCurrent", "js_name = currentList", 1));
        let v = violations(&changed);
        assert!(v.iter().any(|v| v.contains("dynamics.list_current") && v.contains("currentList")), "{v:#?}");
    }

    #[test]
    fn a_stale_allow_list_entry_fails() {
        let src = real();
        for stale in [
            "dossier.companies  wasm  it is there after all",
            "dossier.no_such_method  both  gone",
            "dynamics.list  shape-both  binding supplies yesterday",
            "dossier.company  shape-ffi  the shapes agree",
        ] {
            let changed = edit(&src, ALLOW_FILE, |t| format!("{t}\n{stale}\n"));
            let v = violations(&changed);
            let method = stale.split_whitespace().next().unwrap_or_default();
            assert!(v.iter().any(|v| v.contains(ALLOW_FILE) && v.contains(method)), "{stale}: {v:#?}");
        }
    }

    #[test]
    fn types_map_to_typescript() {
        let mut names = Names::default();
        names.aliases.insert("Answers".into(), syn::parse_str("BTreeMap<String, String>").unwrap());
        let ts = |rust: &str| ts_type(&syn::parse_str::<Type>(rust).unwrap(), &names);
        let cases = [
            ("String", "string"),
            ("&str", "string"),
            ("&String", "string"),
            ("i64", "number"),
            ("u32", "number"),
            ("f64", "number"),
            ("bool", "boolean"),
            ("()", "void"),
            ("Vec<u8>", "Uint8Array"),
            ("&[u8]", "Uint8Array"),
            ("Vec<String>", "string[]"),
            ("&[TrustedSeal]", "TrustedSeal[]"),
            ("Option<String>", "string | null"),
            ("Option<&str>", "string | null"),
            ("Vec<Option<i64>>", "(number | null)[]"),
            ("Option<Vec<FaqEntry>>", "FaqEntry[] | null"),
            ("HashMap<String, String>", "{ [key in string]: string }"),
            ("BTreeMap<String, Vec<u8>>", "{ [key in string]: Uint8Array }"),
            ("Answers", "{ [key in string]: string }"),
            ("NaiveDate", "string"),
            ("chrono::NaiveDateTime", "string"),
            ("Option<NaiveTime>", "string | null"),
            ("&Path", "string"),
            ("Arc<Policy>", "Policy"),
            ("Vec<Arc<Policy>>", "Policy[]"),
            ("Result<Vec<CompanyOverview>>", "CompanyOverview[]"),
            ("std::result::Result<String, ZhuanshuError>", "string"),
            ("zhuanshu::dossier::Company", "Company"),
            ("&dyn KeyProvider", "KeyProvider"),
            ("Option<Arc<dyn KeyProvider>>", "KeyProvider | null"),
            ("impl AsRef<str>", "string"),
            ("Cow<'static, str>", "string"),
        ];
        for (rust, expected) in cases {
            assert_eq!(ts(rust), expected, "{rust}");
        }
        assert_eq!(lower_camel("list_current"), "listCurrent");
        assert_eq!(lower_camel("ics"), "ics");
        assert_eq!(normalise("{[key in string]:string}"), normalise("{ [key in string]: string }"));
    }
}
