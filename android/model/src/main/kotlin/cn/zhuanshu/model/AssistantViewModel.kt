package cn.zhuanshu.model

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.zhuanshu.FaqEntry
import uniffi.zhuanshu.Hit
import uniffi.zhuanshu.Prediction
import uniffi.zhuanshu.Suggestion
import uniffi.zhuanshu_ffi.ZhuanshuAppInterface
import uniffi.zhuanshu_ffi.ZhuanshuException

/** A search result ready to draw: the question and answer split into highlighted runs. */
data class HitView(val hit: Hit, val question: List<TextRun>, val answer: List<TextRun>) {
    val id: String get() = hit.id
}

/** An opened answer and the questions related to it. */
data class AnswerView(val entry: FaqEntry, val related: List<Suggestion>)

data class AssistantState(
    val query: String = "",
    val suggestions: List<Suggestion> = emptyList(),
    val hits: List<HitView> = emptyList(),
    /** True while a query typed has not been answered yet. */
    val searching: Boolean = false,
    /** Shown while the box is empty: what the current company's owner is likely to ask today. */
    val predicted: List<Prediction> = emptyList(),
    val open: AnswerView? = null,
    val error: UiError? = null,
)

/**
 * 客服: search as you type. Each keystroke updates the query at once; suggestions and results follow
 * [debounceMillis] after the last keystroke, and an answer that arrives for an older query is dropped.
 */
class AssistantViewModel(
    private val app: ZhuanshuAppInterface,
    private val scheduler: Scheduler,
    private val debounceMillis: Long = 200,
    private val limit: UInt = 10u,
) {
    private val _state = MutableStateFlow(AssistantState())
    val state: StateFlow<AssistantState> = _state.asStateFlow()

    private var pending: Cancellable? = null
    private var generation = 0L

    /** Builds the index in the background and loads the predicted questions of the current company. */
    fun start() = scheduler.call({
        app.assistant().warmUp()
        val uscc = try {
            app.dossier().current().company.uscc
        } catch (e: ZhuanshuException.NoCurrentCompany) {
            null
        }
        uscc?.let { app.assistant().predicted(it) } ?: emptyList()
    }) { outcome ->
        when (outcome) {
            is Outcome.Ok -> _state.update { it.copy(predicted = outcome.value) }
            is Outcome.Failed -> _state.update { it.copy(error = outcome.error) }
        }
    }

    fun onQueryChange(text: String) {
        pending?.cancel()
        val ticket = ++generation
        if (text.isBlank()) {
            _state.update { it.copy(query = text, suggestions = emptyList(), hits = emptyList(), searching = false) }
            return
        }
        _state.update { it.copy(query = text, searching = true) }
        pending = scheduler.schedule(debounceMillis) { run(text, ticket) }
    }

    /** The search button / enter: no waiting for the debounce. */
    fun submit() {
        val text = _state.value.query
        if (text.isBlank()) return
        pending?.cancel()
        run(text, ++generation)
    }

    private fun run(text: String, ticket: Long) {
        scheduler.call({
            val assistant = app.assistant()
            assistant.suggest(text) to assistant.search(text, limit).map(::view)
        }) { outcome ->
            if (ticket != generation) return@call // the owner kept typing
            when (outcome) {
                is Outcome.Ok -> _state.update {
                    it.copy(suggestions = outcome.value.first, hits = outcome.value.second, searching = false, error = null)
                }
                is Outcome.Failed -> _state.update { it.copy(searching = false, error = outcome.error) }
            }
        }
    }

    /** Opens an answer (a hit, a suggestion, a predicted or related question, or a dynamic's FAQ link). */
    fun open(id: String) = scheduler.call({
        val assistant = app.assistant()
        AnswerView(assistant.entry(id), assistant.related(id, 5u))
    }) { outcome ->
        when (outcome) {
            is Outcome.Ok -> _state.update { it.copy(open = outcome.value) }
            is Outcome.Failed -> _state.update { it.copy(error = outcome.error) }
        }
    }

    fun close() = _state.update { it.copy(open = null) }

    fun clearError() = _state.update { it.copy(error = null) }

    companion object {
        /**
         * Highlights are offsets into the raw answer, markdown markers included; the native screens show
         * the answer as plain text, so `**` markers are dropped from the runs after splitting (which keeps
         * the highlights in place).
         */
        fun view(hit: Hit) = HitView(
            hit,
            highlightRuns(hit.question, hit.questionHighlights),
            highlightRuns(hit.answer, hit.answerHighlights)
                .map { it.copy(text = it.text.replace("**", "")) }
                .filter { it.text.isNotEmpty() },
        )
    }
}
