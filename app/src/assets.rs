//! The release's file names under `/pkg`: the stylesheet, the wasm and its JS glue, with
//! the content hashes cargo-leptos puts in them. The server finds them once when it
//! starts (a page must not read the disk to name its files) and gives them to every page
//! through context.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub wasm: String,
}

impl Assets {
    /// The names a build without hashing writes: `/pkg/hocso.css` and so on.
    pub fn unhashed(output: &str) -> Assets {
        Assets {
            css: format!("/pkg/{output}.css"),
            js: format!("/pkg/{output}.js"),
            wasm: format!("/pkg/{output}.wasm"),
        }
    }

    /// Picks `<output>.<hash>.css|js|wasm` out of the file names in the pkg folder,
    /// keeping the unhashed name for any kind not found.
    pub fn from_names<'a>(output: &str, names: impl IntoIterator<Item = &'a str>) -> Assets {
        let mut assets = Assets::unhashed(output);
        for name in names {
            let Some(rest) = name.strip_prefix(output).and_then(|r| r.strip_prefix('.')) else {
                continue;
            };
            // `hash.ext` exactly: not `d.hash.ts`, not `hash.wasm.br`.
            let Some((hash, ext)) = rest.split_once('.') else {
                continue;
            };
            if hash == "d" || ext.contains('.') {
                continue;
            }
            let url = format!("/pkg/{name}");
            match ext {
                "css" => assets.css = url,
                "js" => assets.js = url,
                "wasm" => assets.wasm = url,
                _ => {}
            }
        }
        assets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_found_and_compressed_copies_ignored() {
        let names = [
            "hocso.Ts7.wasm",
            "hocso.Ts7.wasm.br",
            "hocso.d.vxf.ts",
            "hocso.mRX.js",
            "hocso.mRX.js.gz",
            "hocso.oJg.css",
            "hocso_bg.wasm.d.5AE.ts",
        ];
        let assets = Assets::from_names("hocso", names);
        assert_eq!(assets.css, "/pkg/hocso.oJg.css");
        assert_eq!(assets.js, "/pkg/hocso.mRX.js");
        assert_eq!(assets.wasm, "/pkg/hocso.Ts7.wasm");
    }

    #[test]
    fn an_unhashed_build_keeps_plain_names() {
        let assets = Assets::from_names("hocso", ["hocso.js", "hocso.wasm", "hocso.css"]);
        assert_eq!(assets, Assets::unhashed("hocso"));
    }
}
