import Combine
import Foundation

/// A search result ready to draw: the question and answer split into highlighted runs.
public struct HitView: Identifiable {
    public var hit: Hit
    public var question: [TextRun]
    public var answer: [TextRun]
    public var id: String { hit.id }

    /// Highlights are offsets into the raw answer, markdown markers included; the answer is shown as
    /// plain text, so `**` is dropped from the runs after splitting (which keeps the highlights in place).
    public init(_ hit: Hit) {
        self.hit = hit
        question = highlightRuns(hit.question, hit.questionHighlights)
        answer = highlightRuns(hit.answer, hit.answerHighlights)
            .map { TextRun($0.text.replacingOccurrences(of: "**", with: ""), highlighted: $0.highlighted) }
            .filter { !$0.text.isEmpty }
    }
}

/// An opened answer and the questions related to it.
public struct AnswerView {
    public var entry: FaqEntry
    public var related: [Suggestion]
}

public struct AssistantState {
    public var query = ""
    public var suggestions: [Suggestion] = []
    public var hits: [HitView] = []
    public var searching = false
    public var predicted: [Prediction] = []
    public var open: AnswerView?
    public var error: UiError?

    public init() {}
}

/// 客服, as `AssistantViewModel` on Android: the query updates at once; suggestions and results follow
/// `debounce` seconds after the last keystroke; answers for an older query are dropped.
public final class AssistantViewModel: ObservableObject {
    @Published public private(set) var state = AssistantState()

    private let app: ZhuanshuAppProtocol
    private let scheduler: Scheduler
    private let debounce: TimeInterval
    private let limit: UInt32
    private var pending: ScheduledTask?
    private var generation = 0

    public init(app: ZhuanshuAppProtocol, scheduler: Scheduler = DispatchScheduler(), debounce: TimeInterval = 0.2, limit: UInt32 = 10) {
        self.app = app
        self.scheduler = scheduler
        self.debounce = debounce
        self.limit = limit
    }

    /// Builds the index in the background and loads the predicted questions of the current company.
    public func start() {
        let app = self.app
        scheduler.background({ () throws -> [Prediction] in
            try app.assistant().warmUp()
            do {
                let uscc = try app.dossier().current().company.uscc
                return try app.assistant().predicted(uscc: uscc)
            } catch ZhuanshuError.NoCurrentCompany {
                return []
            }
        }) { [weak self] result in
            switch result {
            case let .success(predicted): self?.state.predicted = predicted
            case let .failure(error): self?.state.error = uiError(error)
            }
        }
    }

    public func queryChanged(_ text: String) {
        pending?.cancel()
        generation += 1
        let ticket = generation
        state.query = text
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            state.suggestions = []
            state.hits = []
            state.searching = false
            return
        }
        state.searching = true
        pending = scheduler.schedule(after: debounce) { [weak self] in
            self?.run(text, ticket)
        }
    }

    /// The search key: no waiting for the debounce.
    public func submit() {
        let text = state.query
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            return
        }
        pending?.cancel()
        generation += 1
        run(text, generation)
    }

    private func run(_ text: String, _ ticket: Int) {
        let app = self.app
        let limit = self.limit
        scheduler.background({ () throws -> ([Suggestion], [HitView]) in
            let assistant = app.assistant()
            return (try assistant.suggest(prefix: text), try assistant.search(query: text, limit: limit).map(HitView.init))
        }) { [weak self] result in
            guard let self = self, ticket == self.generation else { return }
            self.state.searching = false
            switch result {
            case let .success((suggestions, hits)):
                self.state.suggestions = suggestions
                self.state.hits = hits
                self.state.error = nil
            case let .failure(error):
                self.state.error = uiError(error)
            }
        }
    }

    public func open(_ id: String) {
        let app = self.app
        scheduler.background({ () throws -> AnswerView in
            let assistant = app.assistant()
            return AnswerView(entry: try assistant.entry(id: id), related: try assistant.related(id: id, limit: 5))
        }) { [weak self] result in
            switch result {
            case let .success(answer): self?.state.open = answer
            case let .failure(error): self?.state.error = uiError(error)
            }
        }
    }

    public func close() { state.open = nil }

    public func clearError() { state.error = nil }
}
