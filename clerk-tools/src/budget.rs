//! The output budget: a host that passes tool outputs to a model caps their size, so an output
//! over the budget is cut at whole items of its list, never in the middle of its JSON, and says
//! so; an output without a list to cut is an error that says how to narrow the call.

use serde_json::{Value, json};

use crate::error::Error;
use crate::registry::Tool;

/// The budget `clerk-tools mcp` applies unless told otherwise, in bytes of JSON: about 25,000
/// tokens, near where hosts commonly cap a tool result.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 100_000;

/// `output` cut to at most `max_bytes` bytes of JSON (0: no limit). An output over the budget
/// keeps the first items of its longest list (a top-level array, or one in `result` or
/// `result.data`) that fit, and gains `truncated: true`, `returnedItems` (how many items it
/// kept) and, when `offset` is the offset the call was made with (`Some(0)` when the tool takes
/// one and none was given), `nextOffset`: the offset that continues the list.
///
/// # Errors
///
/// [`Error::OutputTooLarge`] when the output has no list, or not even its other fields fit.
pub fn fit_output(output: Value, max_bytes: usize, offset: Option<u64>) -> Result<Value, Error> {
    let size = json_len(&output);
    if max_bytes == 0 || size <= max_bytes {
        return Ok(output);
    }
    let too_large = Error::OutputTooLarge { size, limit: max_bytes };
    let Some(path) = longest_list(&output) else { return Err(too_large) };
    let items = list_at(&output, &path).map_or(0, Vec::len);
    let cut = |kept: usize| -> Value {
        let mut shorter = output.clone();
        if let Some(list) = list_at_mut(&mut shorter, &path) {
            list.truncate(kept);
        }
        if let Some(object) = shorter.as_object_mut() {
            object.insert("truncated".into(), json!(true));
            object.insert("returnedItems".into(), json!(kept));
            if let Some(offset) = offset {
                object.insert("nextOffset".into(), json!(offset + kept as u64));
            }
        }
        shorter
    };
    // The most items that fit: fitting is monotone in the number kept.
    let (mut low, mut high) = (0usize, items);
    if json_len(&cut(0)) > max_bytes {
        return Err(too_large);
    }
    while low < high {
        let middle = (low + high).div_ceil(2);
        if json_len(&cut(middle)) <= max_bytes { low = middle } else { high = middle - 1 }
    }
    Ok(cut(low))
}

/// The offset a call of `tool` with `input` starts at, for [`fit_output`]: its `offset` input
/// (0 when not given), or `None` when the tool takes no offset and so a cut list cannot be
/// continued.
pub fn call_offset(tool: &Tool, input: &Value) -> Option<u64> {
    tool.input_schema.pointer("/properties/offset")?;
    Some(match input.get("offset") {
        Some(Value::Number(number)) => number.as_u64().unwrap_or(0),
        Some(Value::String(text)) => text.trim().parse().unwrap_or(0),
        _ => 0,
    })
}

fn json_len(value: &Value) -> usize {
    serde_json::to_string(value).map_or(usize::MAX, |text| text.len())
}

/// The keys leading to the longest list (by bytes) among the candidates.
fn longest_list(output: &Value) -> Option<Vec<String>> {
    let object = output.as_object()?;
    let mut candidates: Vec<Vec<String>> =
        object.iter().filter(|(_, value)| value.is_array()).map(|(key, _)| vec![key.clone()]).collect();
    if output.pointer("/result/data").is_some_and(Value::is_array) {
        candidates.push(vec!["result".into(), "data".into()]);
    }
    candidates
        .into_iter()
        .max_by_key(|path| list_at(output, path).map_or(0, |list| json_len(&Value::Array(list.clone()))))
}

fn list_at<'a>(output: &'a Value, path: &[String]) -> Option<&'a Vec<Value>> {
    path.iter().try_fold(output, |value, key| value.get(key))?.as_array()
}

fn list_at_mut<'a>(output: &'a mut Value, path: &[String]) -> Option<&'a mut Vec<Value>> {
    path.iter().try_fold(output, |value, key| value.get_mut(key))?.as_array_mut()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(count: usize) -> Value {
        let users: Vec<Value> =
            (0..count).map(|i| json!({"id": format!("user_{i:03}"), "name": "x".repeat(40)})).collect();
        json!({"success": true, "users": users, "totalCount": count})
    }

    #[test]
    fn an_output_within_the_budget_or_without_one_is_unchanged() {
        let output = users(10);
        assert_eq!(fit_output(output.clone(), 0, Some(0)).unwrap(), output);
        let size = json_len(&output);
        assert_eq!(fit_output(output.clone(), size, Some(0)).unwrap(), output);
    }

    #[test]
    fn a_list_is_cut_at_whole_items_and_says_where_to_continue() {
        let output = users(100);
        let cut = fit_output(output.clone(), 2_000, Some(40)).unwrap();
        let text = serde_json::to_string(&cut).unwrap();
        assert!(text.len() <= 2_000, "{}", text.len());
        let kept = cut["users"].as_array().unwrap().len();
        assert!(kept > 0 && kept < 100);
        assert_eq!(cut["users"].as_array().unwrap()[..], output["users"].as_array().unwrap()[..kept]);
        assert_eq!((cut["truncated"].clone(), cut["returnedItems"].clone()), (json!(true), json!(kept)));
        assert_eq!(cut["nextOffset"], json!(40 + kept));
        assert_eq!(cut["totalCount"], json!(100));
        // One more item would not have fitted.
        let mut one_more = cut.clone();
        one_more["users"].as_array_mut().unwrap().push(output["users"][kept].clone());
        assert!(serde_json::to_string(&one_more).unwrap().len() > 2_000);
        // Without an offset input, no offset to continue from.
        assert!(fit_output(output, 2_000, None).unwrap().get("nextOffset").is_none());
    }

    #[test]
    fn the_list_in_a_generated_tools_result_is_cut_too() {
        let page = json!({"success": true, "result": {"data": users(50)["users"], "total_count": 50}});
        let cut = fit_output(page, 1_500, Some(0)).unwrap();
        assert!(cut["result"]["data"].as_array().unwrap().len() < 50);
        assert_eq!(cut["result"]["total_count"], json!(50));
        let bare = json!({"success": true, "result": users(50)["users"]});
        assert!(fit_output(bare, 1_500, None).unwrap()["result"].as_array().unwrap().len() < 50);
    }

    #[test]
    fn an_output_without_a_list_is_an_error_saying_how_to_narrow() {
        let output = json!({"success": true, "result": {"text": "x".repeat(500)}});
        let error = fit_output(output, 100, None).unwrap_err();
        assert!(matches!(error, Error::OutputTooLarge { limit: 100, .. }), "{error:?}");
        assert!(error.to_string().contains("narrow the call"), "{error}");
    }
}
