//! A thin async layer over IndexedDB: open the device database, put records, read them
//! all. The schema is shared with the service worker (public/sw-sync.js), which sends the
//! events and stores what the server returns.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransaction, IdbTransactionMode,
};

pub const EVENTS: &str = "events";
pub const META: &str = "meta";

/// Any failure of the browser's storage; the message is for the log.
#[derive(Debug)]
pub struct IdbError(pub String);

impl std::fmt::Display for IdbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<JsValue> for IdbError {
    fn from(v: JsValue) -> Self {
        IdbError(format!("{v:?}"))
    }
}

/// Resolves with the request's result once it succeeds.
async fn done(req: &IdbRequest) -> Result<JsValue, IdbError> {
    let req2 = req.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let r = req2.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let fail = Closure::once_into_js(move || {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("request failed"));
        });
        req2.set_onsuccess(Some(ok.unchecked_ref()));
        req2.set_onerror(Some(fail.unchecked_ref()));
    });
    Ok(JsFuture::from(promise).await?)
}

/// Resolves when the transaction has committed: only then is a record safe on disk.
async fn committed(tx: &IdbTransaction) -> Result<(), IdbError> {
    let tx2 = tx.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let reject2 = reject.clone();
        let fail = Closure::once_into_js(move || {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("transaction failed"));
        });
        let abort = Closure::once_into_js(move || {
            let _ = reject2.call1(&JsValue::NULL, &JsValue::from_str("transaction aborted"));
        });
        tx2.set_oncomplete(Some(ok.unchecked_ref()));
        tx2.set_onerror(Some(fail.unchecked_ref()));
        tx2.set_onabort(Some(abort.unchecked_ref()));
    });
    JsFuture::from(promise).await?;
    Ok(())
}

pub async fn open() -> Result<IdbDatabase, IdbError> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| IdbError("no IndexedDB".into()))?;
    let req = factory.open_with_u32("hocso", 1)?;
    let upgrading = req.clone();
    let upgrade = Closure::once_into_js(move || {
        let Ok(db) = upgrading.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else {
            return;
        };
        let names = db.object_store_names();
        if !names.contains(EVENTS) {
            let params = IdbObjectStoreParameters::new();
            params.set_key_path(&JsValue::from_str("event_id"));
            let _ = db.create_object_store_with_optional_parameters(EVENTS, &params);
        }
        if !names.contains(META) {
            let params = IdbObjectStoreParameters::new();
            params.set_key_path(&JsValue::from_str("key"));
            let _ = db.create_object_store_with_optional_parameters(META, &params);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    Ok(done(&req).await?.dyn_into::<IdbDatabase>()?)
}

/// Every record of `store`.
pub async fn all(db: &IdbDatabase, store: &str) -> Result<Vec<JsValue>, IdbError> {
    let tx = db.transaction_with_str(store)?;
    let values = done(&tx.object_store(store)?.get_all()?).await?;
    Ok(values.dyn_into::<Array>()?.iter().collect())
}

/// One record of `store` by key.
pub async fn get(db: &IdbDatabase, store: &str, key: &str) -> Result<JsValue, IdbError> {
    let tx = db.transaction_with_str(store)?;
    done(&tx.object_store(store)?.get(&JsValue::from_str(key))?).await
}

/// Adds `value` to `store` unless its key is there already; true if it was added.
pub async fn add(db: &IdbDatabase, store: &str, value: &JsValue) -> Result<bool, IdbError> {
    let tx = db.transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)?;
    let _ = tx.object_store(store)?.add(value)?;
    Ok(committed(&tx).await.is_ok())
}

/// Writes `value` to `store` and waits until it is committed.
pub async fn put(db: &IdbDatabase, store: &str, value: &JsValue) -> Result<(), IdbError> {
    let tx = db.transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)?;
    tx.object_store(store)?.put(value)?;
    committed(&tx).await
}
