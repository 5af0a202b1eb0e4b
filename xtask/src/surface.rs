//! A compact listing of the generated types (every struct with its fields, every enum with
//! its variants), for a snapshot that shows in review how the public surface changed.

use quote::ToTokens;

use crate::inventory::type_text;

/// Lists the types of the generated `types` module, one block per type, in file order.
pub fn type_surface(code: &syn::File) -> String {
    let Some(items) = code.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
        return String::new();
    };
    type_surface_of(items)
}

/// [`type_surface`] of the items of a types module or crate.
pub fn type_surface_of(items: &[syn::Item]) -> String {
    let mut out = String::new();
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                out.push_str(&format!("struct {}", s.ident));
                match &s.fields {
                    syn::Fields::Named(named) => {
                        out.push_str(" {\n");
                        for field in &named.named {
                            let name = field.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                            out.push_str(&format!("    {name}: {}\n", type_text(&field.ty)));
                        }
                        out.push_str("}\n");
                    }
                    syn::Fields::Unnamed(unnamed) => {
                        let types: Vec<String> = unnamed.unnamed.iter().map(|f| type_text(&f.ty)).collect();
                        out.push_str(&format!("({})\n", types.join(", ")));
                    }
                    syn::Fields::Unit => out.push('\n'),
                }
            }
            syn::Item::Enum(e) => {
                out.push_str(&format!("enum {} {{\n", e.ident));
                for variant in &e.variants {
                    let fields = match &variant.fields {
                        syn::Fields::Unit => String::new(),
                        other => type_text(&other.to_token_stream()),
                    };
                    out.push_str(&format!("    {}{fields}\n", variant.ident));
                }
                out.push_str("}\n");
            }
            _ => {}
        }
    }
    out
}
