package cn.zhuanshu.model

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.zhuanshu.CompanyOverview
import uniffi.zhuanshu.Dynamic
import uniffi.zhuanshu.Prediction
import uniffi.zhuanshu.SnoozeChoice
import uniffi.zhuanshu_ffi.ZhuanshuAppInterface
import uniffi.zhuanshu_ffi.ZhuanshuException

/** What the owner just did to an item, offered for undo ("已完成 · 撤销"). */
data class Notice(val kind: Kind, val dynamicId: String, val title: String, val until: String? = null) {
    enum class Kind { DONE, DISMISSED, SNOOZED, RESTORED }
}

data class HomeState(
    val loading: Boolean = true,
    /** The current company; null with [noCompany] when the dossier is empty. */
    val company: CompanyOverview? = null,
    val noCompany: Boolean = false,
    /** Today's items, soonest and most serious first (the core's order). */
    val items: List<Dynamic> = emptyList(),
    /** Questions the owner is likely to ask today, for the 客服 shortcut. */
    val predicted: List<Prediction> = emptyList(),
    /** The dates "稍后提醒" offers today. */
    val snoozeChoices: List<SnoozeChoice> = emptyList(),
    val notice: Notice? = null,
    val error: UiError? = null,
)

/**
 * 首页: the current company's dynamics with done / dismiss / snooze (each undoable), the snooze dates
 * the core offers, and the predicted questions. Every rule is the core's; this holds the screen state.
 */
class HomeViewModel(private val app: ZhuanshuAppInterface, private val scheduler: Scheduler) {
    private val _state = MutableStateFlow(HomeState())
    val state: StateFlow<HomeState> = _state.asStateFlow()

    private class Loaded(
        val company: CompanyOverview?,
        val items: List<Dynamic>,
        val predicted: List<Prediction>,
        val choices: List<SnoozeChoice>,
    )

    /** Reloads everything (on start, after a company switch, when the app comes back to the foreground). */
    fun refresh() {
        _state.update { it.copy(loading = true) }
        scheduler.call({ load() }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update {
                    val l = outcome.value
                    it.copy(
                        loading = false, company = l.company, noCompany = l.company == null, items = l.items,
                        predicted = l.predicted, snoozeChoices = l.choices, error = null,
                    )
                }
                is Outcome.Failed -> _state.update { it.copy(loading = false, error = outcome.error) }
            }
        }
    }

    private fun load(): Loaded {
        val company = try {
            app.dossier().current()
        } catch (e: ZhuanshuException.NoCurrentCompany) {
            null
        } ?: return Loaded(null, emptyList(), emptyList(), emptyList())
        val uscc = company.company.uscc
        return Loaded(company, app.dynamics().list(uscc), app.assistant().predicted(uscc), app.dynamics().snoozeChoices())
    }

    fun markDone(item: Dynamic) = act(item, Notice.Kind.DONE) { uscc -> app.dynamics().markDone(uscc, item.id) }

    fun dismiss(item: Dynamic) = act(item, Notice.Kind.DISMISSED) { uscc -> app.dynamics().dismiss(uscc, item.id) }

    /** [until] is one of [HomeState.snoozeChoices] (or a date the owner picked), `YYYY-MM-DD`. */
    fun snooze(item: Dynamic, until: String) =
        act(item, Notice.Kind.SNOOZED, until) { uscc -> app.dynamics().snooze(uscc, item.id, until) }

    /** Undoes the action of the current notice. */
    fun undo() {
        val notice = _state.value.notice ?: return
        val uscc = _state.value.company?.company?.uscc ?: return
        _state.update { it.copy(notice = null) }
        scheduler.call({
            app.dynamics().restore(uscc, notice.dynamicId)
            load()
        }) { outcome -> apply(outcome, notice.copy(kind = Notice.Kind.RESTORED, until = null)) }
    }

    fun clearNotice() = _state.update { it.copy(notice = null) }

    fun clearError() = _state.update { it.copy(error = null) }

    /** Loads the fictional demo companies (the welcome card's second button). */
    fun loadDemo() {
        scheduler.call({
            app.dossier().loadDemo()
            load()
        }) { outcome -> apply(outcome, null) }
    }

    private fun act(item: Dynamic, kind: Notice.Kind, until: String? = null, action: (String) -> Unit) {
        val uscc = _state.value.company?.company?.uscc ?: return
        // Optimistic: the item leaves the list at once; the reload brings the core's truth.
        _state.update { s -> s.copy(items = s.items.filterNot { it.id == item.id }) }
        scheduler.call({
            action(uscc)
            load()
        }) { outcome -> apply(outcome, Notice(kind, item.id, item.title, until)) }
    }

    private fun apply(outcome: Outcome<Loaded>, notice: Notice?) {
        when (outcome) {
            is Outcome.Ok -> _state.update {
                val l = outcome.value
                it.copy(
                    loading = false, company = l.company, noCompany = l.company == null, items = l.items,
                    predicted = l.predicted, snoozeChoices = l.choices, notice = notice, error = null,
                )
            }
            // The optimistic removal is undone by reloading; the error says why.
            is Outcome.Failed -> {
                _state.update { it.copy(error = outcome.error) }
                scheduler.call({ load() }) { again ->
                    if (again is Outcome.Ok) {
                        _state.update { it.copy(items = again.value.items) }
                    }
                }
            }
        }
    }
}
