//! Test support for cors-runtime: real Lambda event JSON fed through `lambda_http`'s own
//! event handling, and the local API + headless Chromium harness for browser tests.

pub mod browser;
pub mod events;
pub mod local_api;
pub mod logs;
pub mod reference;
