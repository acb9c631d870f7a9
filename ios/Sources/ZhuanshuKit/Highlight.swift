import Foundation

/// A run of text, highlighted or not, for drawing search results.
public struct TextRun: Equatable, Hashable {
    public var text: String
    public var highlighted: Bool

    public init(_ text: String, highlighted: Bool) {
        self.text = text
        self.highlighted = highlighted
    }
}

/// Splits `text` by the core's highlight spans. Spans count Unicode scalars (code points), which is
/// neither Swift's `Character` (grapheme clusters) nor UTF-16, so the text is cut on its scalars.
/// Overlapping, empty or out-of-range spans are clipped or skipped.
public func highlightRuns(_ text: String, _ spans: [Span]) -> [TextRun] {
    let scalars = Array(text.unicodeScalars)
    func slice(_ from: Int, _ to: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[from..<to])
        return String(view)
    }
    var runs: [TextRun] = []
    var at = 0
    for span in spans.sorted(by: { $0.start < $1.start }) {
        let start = min(max(Int(span.start), at), scalars.count)
        let end = min(Int(span.end), scalars.count)
        if end <= start {
            continue
        }
        if start > at {
            runs.append(TextRun(slice(at, start), highlighted: false))
        }
        runs.append(TextRun(slice(start, end), highlighted: true))
        at = end
    }
    if at < scalars.count || runs.isEmpty {
        runs.append(TextRun(slice(at, scalars.count), highlighted: false))
    }
    return runs
}
