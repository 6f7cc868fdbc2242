//! The web app manifest has what a phone needs to offer installing Học Số and to open it
//! full-screen from the home screen.

use std::path::Path;

#[test]
fn the_manifest_makes_the_app_installable() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/manifest.webmanifest");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(m["short_name"], "Học Số");
    assert!(m["name"].as_str().unwrap().contains("Bình dân học vụ số"));
    assert!(
        m["description"].as_str().unwrap().contains("không có mạng"),
        "Vietnamese description"
    );
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["start_url"], "/");
    assert_eq!(m["theme_color"], "#0b5e44");
    for size in ["192x192", "512x512"] {
        let maskable = m["icons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["sizes"] == size && i["purpose"] == "maskable");
        let icon = maskable.unwrap_or_else(|| panic!("no maskable {size} icon"));
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../public")
            .join(icon["src"].as_str().unwrap().trim_start_matches('/'));
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(format!("{width}x{width}"), size);
    }
}
