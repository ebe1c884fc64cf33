#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| unspin_fuzz::text(data));
