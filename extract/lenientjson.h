#pragma once
// A tolerant JSON reader for what a vision-language model really writes (spec §9): fenced
// ```json blocks with prose around them, trailing commas, Python-style literals and quotes,
// comments, raw newlines in strings, and output cut off at the token limit.
//
// It never throws, never crashes and always terminates in time linear in the input (nesting is
// limited to kMaxJsonDepth). Pure function, no thread affinity.
//
// Truncation: when the text ends inside a value, every complete array element and object
// member is kept, the open containers are closed, and `truncated` is set. A scalar that was
// being written when the text ended (a string without its closing quote, a number at the very
// end, a key without a value) is dropped, because it may be cut short. A container that was
// open is kept with its complete members, so the last element of a truncated array may be an
// object missing some keys: consumers must check the keys they need.

#include <QFlags>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace folio::extract {

inline constexpr int kMaxJsonDepth = 128;

// What had to be repaired to read the text; one bit per kind of repair.
enum class JsonRepair : unsigned {
    Fence = 1u << 0,           // the JSON was inside a ``` code fence
    Prose = 1u << 1,           // text before or after the JSON was ignored
    TrailingComma = 1u << 2,   // [1, 2,] or {"a": 1,}
    ExtraComma = 1u << 3,      // [1,, 2]
    MissingComma = 1u << 4,    // {"a": 1 "b": 2}, [{...} {...}]
    MissingColon = 1u << 5,    // {"a" 1}
    SingleQuotes = 1u << 6,    // 'string'
    SmartQuotes = 1u << 7,     // “string” used as delimiters
    UnquotedKeys = 1u << 8,    // {key: 1}
    PythonLiterals = 1u << 9,  // True / False / None
    Comments = 1u << 10,       // // line and /* block */ comments
    RawNewlines = 1u << 11,    // a line break inside a string
    UnescapedQuotes = 1u << 12, // "he said "hi" there": a quote that cannot end the string
    InvalidEscapes = 1u << 13, // "\q": kept as written
    MismatchedBrackets = 1u << 14, // [1, 2} closed by the wrong bracket
    BareValues = 1u << 15,     // {"total": 1,234.56} or {"name": ACME GmbH}: read as a string
    SkippedGarbage = 1u << 16, // characters that fit nowhere were skipped
    DroppedMembers = 1u << 17, // {"a": , "b": 1}: a key without a value
    FullWidthPunctuation = 1u << 18, // {"a"：1，"b"：2} (U+FF1A, U+FF0C), as CJK text is typed
};
Q_DECLARE_FLAGS(JsonRepairs, JsonRepair)
Q_DECLARE_OPERATORS_FOR_FLAGS(JsonRepairs)

// Short English names of the repairs ("trailing comma", ...), for warnings shown to the user.
QStringList jsonRepairNames(JsonRepairs repairs);

struct LenientJsonResult {
    QJsonValue value{QJsonValue::Undefined}; // the recovered object or array; Undefined when !ok()
    bool truncated = false; // the text ended inside the value; `value` holds what was complete
    JsonRepairs repairs;
    QString error; // why nothing could be recovered; empty on success

    bool ok() const { return error.isEmpty(); }
};

// Finds and reads the first JSON object or array in `modelText`: the first ``` fenced block
// that holds JSON (labelled json, or unlabelled and starting with { or [), else the first
// plausible { or [ in the text. Fails (error set) only when no object or array is found or the
// nesting is deeper than kMaxJsonDepth.
LenientJsonResult parseLenientJson(const QString& modelText);

} // namespace folio::extract
