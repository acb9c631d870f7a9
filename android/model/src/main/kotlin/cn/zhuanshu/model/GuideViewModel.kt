package cn.zhuanshu.model

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.zhuanshu.BundleSummary
import uniffi.zhuanshu.Form
import uniffi.zhuanshu.PendingQuestion
import uniffi.zhuanshu.Plan
import uniffi.zhuanshu.ThemeNode
import uniffi.zhuanshu_ffi.ZhuanshuAppInterface
import uniffi.zhuanshu_ffi.ZhuanshuException

/** One scenario being worked through: the answers so far, the questions still open, then the plan. */
data class GuideSession(
    /** A bundle (`bundle-small-restaurant`) or an item code (`SH-SCJG-0102`). */
    val code: String,
    val answers: Map<String, String> = emptyMap(),
    /** The questions to answer next; empty once the plan is ready. */
    val questions: List<PendingQuestion> = emptyList(),
    /** The plan, with each material checked against the current company's dossier when there is one. */
    val plan: Plan? = null,
    /** Keys answered, in order, so [GuideViewModel.back] can undo the last answer. */
    val order: List<String> = emptyList(),
)

data class GuideState(
    val loading: Boolean = true,
    val tree: List<ThemeNode> = emptyList(),
    val bundles: List<BundleSummary> = emptyList(),
    val session: GuideSession? = null,
    /** An item's application form, prefilled from the dossier. */
    val form: Form? = null,
    val error: UiError? = null,
)

/**
 * 办事: the life tree and scenario bundles; then the question loop — `nextQuestions` until none is left,
 * then `checkMaterials` against the current company (or `plan` without one) — and prefilled forms.
 */
class GuideViewModel(private val app: ZhuanshuAppInterface, private val scheduler: Scheduler) {
    private val _state = MutableStateFlow(GuideState())
    val state: StateFlow<GuideState> = _state.asStateFlow()

    fun refresh() {
        _state.update { it.copy(loading = true) }
        scheduler.call({ app.guide().tree() to app.guide().bundles() }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update {
                    it.copy(loading = false, tree = outcome.value.first, bundles = outcome.value.second, error = null)
                }
                is Outcome.Failed -> _state.update { it.copy(loading = false, error = outcome.error) }
            }
        }
    }

    /** Starts the questions of a bundle or item. */
    fun start(code: String) = advance(GuideSession(code))

    /** Answers one question and moves on (the next questions may depend on this answer). */
    fun answer(key: String, value: String) {
        val session = _state.value.session ?: return
        advance(session.copy(answers = session.answers + (key to value), order = session.order - key + key))
    }

    /** Takes back the last answer. */
    fun back() {
        val session = _state.value.session ?: return
        val last = session.order.lastOrNull() ?: return close()
        advance(session.copy(answers = session.answers - last, order = session.order.dropLast(1)))
    }

    fun close() = _state.update { it.copy(session = null, form = null) }

    /** The application form of an item, prefilled from the current company (the core's error without one). */
    fun prefill(itemCode: String) = scheduler.call({ app.guide().prefill(app.dossier().current().company.uscc, itemCode) }) { outcome ->
        when (outcome) {
            is Outcome.Ok -> _state.update { it.copy(form = outcome.value) }
            is Outcome.Failed -> _state.update { it.copy(error = outcome.error) }
        }
    }

    fun closeForm() = _state.update { it.copy(form = null) }

    fun clearError() = _state.update { it.copy(error = null) }

    private fun advance(session: GuideSession) {
        scheduler.call({
            val guide = app.guide()
            val pending = guide.nextQuestions(session.code, session.answers)
            if (pending.isNotEmpty()) {
                session.copy(questions = pending, plan = null)
            } else {
                val uscc = currentUscc()
                val plan = if (uscc != null) {
                    guide.checkMaterials(uscc, session.code, session.answers)
                } else {
                    guide.plan(session.code, session.answers)
                }
                session.copy(questions = emptyList(), plan = plan)
            }
        }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update { it.copy(session = outcome.value, error = null) }
                is Outcome.Failed -> _state.update { it.copy(error = outcome.error) }
            }
        }
    }

    private fun currentUscc(): String? = try {
        app.dossier().current().company.uscc
    } catch (e: ZhuanshuException.NoCurrentCompany) {
        null
    }
}
