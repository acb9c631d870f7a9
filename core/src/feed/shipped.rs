//! Content files a front end ships beside the binary rather than inside it (the web app's `guide.json`):
//! in force where an embedded copy would be, below anything a feed delivered. They arrive checked, through
//! [`crate::content::provide`].

use std::sync::{Arc, Mutex};

/// Sorted by feed name, each name once. (A sorted vector, not a map: a few files, and a map type costs the
/// first screen's wasm module its own B-tree code.)
static SHIPPED: Mutex<Vec<(String, Arc<[u8]>)>> = Mutex::new(Vec::new());

fn find(files: &[(String, Arc<[u8]>)], name: &str) -> std::result::Result<usize, usize> {
    files.binary_search_by(|(n, _)| n.as_str().cmp(name))
}

/// Keeps a checked file, replacing one of the same name.
pub(crate) fn keep(name: &str, bytes: Vec<u8>) {
    let mut files = SHIPPED.lock().unwrap_or_else(|p| p.into_inner());
    match find(&files, name) {
        Ok(i) => files[i].1 = Arc::from(bytes),
        Err(i) => files.insert(i, (name.to_owned(), Arc::from(bytes))),
    }
}

/// A shipped content file, if the front end provided it.
pub(crate) fn get(name: &str) -> Option<Vec<u8>> {
    let files = SHIPPED.lock().unwrap_or_else(|p| p.into_inner());
    find(&files, name).ok().map(|i| files[i].1.to_vec())
}

/// Every shipped content file, by name (in name order).
pub(crate) fn all() -> Vec<(String, Vec<u8>)> {
    SHIPPED.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|(n, b)| (n.clone(), b.to_vec())).collect()
}
