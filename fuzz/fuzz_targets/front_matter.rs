//! Front matter: splitting and parsing any text never panics, and every error is located
//! inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = opsbook::source::decode("fuzz.md", data.to_vec()) else { return };
    match opsbook::front_matter::split("fuzz.md", &text) {
        Ok(split) => {
            if let Err(d) = opsbook::front_matter::parse("fuzz.md", &text, &split) {
                assert!(d.line >= 1 && d.line <= text.lines().count() + 1, "{d:?}");
            }
        }
        Err(d) => assert_eq!(d.line, 1),
    }
});
