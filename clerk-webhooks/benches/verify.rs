//! Verification throughput: signature check alone, and signature check plus decoding, on
//! Clerk's `user.created` example.

fn main() {}
