//! Generation of the client from `spec/`: each stage alone, then end to end.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use xtask::Source;

fn generation(c: &mut Criterion) {
    let spec_path = xtask::default_spec(&clerk_benches::workspace_root()).expect("a document to generate from");
    let spec = clerk_benches::read(&spec_path);
    let overlay = clerk_benches::read(xtask::OVERLAY_PATH);
    let spec_source = Source { label: &spec_path, bytes: &spec };
    let overlay_source = Source { label: xtask::OVERLAY_PATH, bytes: &overlay };
    let (document, overlay_document) = xtask::parse(spec_source, overlay_source).expect("parses");
    let fixed = xtask::fix(document.clone(), &overlay_document, xtask::OVERLAY_PATH).expect("fixes apply");
    let openapi = xtask::to_openapi(&fixed.document, &spec_path).expect("valid OpenAPI");
    let tokens = xtask::run_progenitor(&openapi).expect("generates");

    let mut group = c.benchmark_group("generation");
    group.sample_size(20);
    group.bench_function("parse", |b| b.iter(|| xtask::parse(black_box(spec_source), black_box(overlay_source))));
    group.bench_function("fixes", |b| {
        b.iter(|| xtask::fix(black_box(document.clone()), &overlay_document, xtask::OVERLAY_PATH))
    });
    group.bench_function("openapi_model", |b| b.iter(|| xtask::to_openapi(black_box(&fixed.document), &spec_path)));
    group.bench_function("progenitor", |b| b.iter(|| xtask::run_progenitor(black_box(&openapi))));
    group.bench_function("prettyplease", |b| b.iter(|| xtask::format_code(black_box(tokens.clone()))));
    group.bench_function("end_to_end", |b| {
        b.iter(|| xtask::generate(black_box(spec_source), black_box(overlay_source)))
    });
    group.finish();
}

criterion_group!(benches, generation);
criterion_main!(benches);
