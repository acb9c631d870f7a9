package cn.zhuanshu.model

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.zhuanshu.CompanyOverview
import uniffi.zhuanshu.ConditionResult
import uniffi.zhuanshu.ItemSummary
import uniffi.zhuanshu.Verdict
import uniffi.zhuanshu_ffi.CheckupView
import uniffi.zhuanshu_ffi.PolicyCheckView
import uniffi.zhuanshu_ffi.ZhuanshuAppInterface
import uniffi.zhuanshu_ffi.ZhuanshuException

/**
 * A policy the owner opened: the core's judgement of it for [uscc] today (verdict, window, one line per
 * condition) and the 办事 services that carry it out. [uscc] is kept so a company switch closes a page
 * that no longer speaks about the current company.
 */
data class PolicyDetail(
    val uscc: String,
    val check: PolicyCheckView,
    val services: List<ItemSummary> = emptyList(),
)

/**
 * One row of 收藏. [check] is the policy judged for the company — from the checkup, or checked on its own
 * when the checkup does not list it (a policy of another region); null when the catalog no longer has the
 * policy, so the row can still show [id] and be unsaved.
 */
data class SavedPolicy(val id: String, val check: PolicyCheckView?)

data class PoliciesState(
    val loading: Boolean = true,
    /** The company the checkup is for; null with [noCompany] when the dossier is empty. */
    val company: CompanyOverview? = null,
    val noCompany: Boolean = false,
    /** The core's checkup (its day and counts); the three lists below are its policies, by verdict. */
    val checkup: CheckupView? = null,
    /** In the core's ranking: what the owner can get, and must act on first, comes first. */
    val eligible: List<PolicyCheckView> = emptyList(),
    /** 差一点: each with its unmet conditions and what would change them (see [unmet]). */
    val nearMisses: List<PolicyCheckView> = emptyList(),
    val notEligible: List<PolicyCheckView> = emptyList(),
    /** 收藏, in the core's order (the latest day saved first). */
    val saved: List<SavedPolicy> = emptyList(),
    /** The id being opened, until its page arrives (a spinner on that row). */
    val opening: String? = null,
    val detail: PolicyDetail? = null,
    val error: UiError? = null,
) {
    /** The saved ids, for the star on every card and on the page. */
    val savedIds: Set<String> = saved.mapTo(HashSet()) { it.id }

    fun isSaved(id: String): Boolean = id in savedIds
}

/**
 * The conditions the core judged not met (unmet, or unknown for want of data), in the policy's order: for
 * a near miss, exactly what is still needed — each line with its `missing` text when the owner can act on
 * it. A selection of the core's `met`, not a judgement of its own.
 */
val PolicyCheckView.unmet: List<ConditionResult>
    get() = conditions.filterNot { it.met }

/**
 * 政策: the current company's checkup (政策体检) as the core judges and ranks it — eligible policies, near
 * misses with what is missing, the rest — the saved list, and a policy's page. Opening goes through the
 * core's `open`, which records the read so the ranking learns the owner's interests; the list keeps its
 * order until the next [refresh], so nothing moves under the owner's finger.
 */
class PoliciesViewModel(private val app: ZhuanshuAppInterface, private val scheduler: Scheduler) {
    private val _state = MutableStateFlow(PoliciesState())
    val state: StateFlow<PoliciesState> = _state.asStateFlow()

    private class Loaded(val company: CompanyOverview?, val checkup: CheckupView?, val saved: List<SavedPolicy>)

    /** Reloads the checkup and the saved list (when the tab is shown, after a company switch or a sync). */
    fun refresh() {
        _state.update { it.copy(loading = true) }
        scheduler.call({ load() }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update {
                    val l = outcome.value
                    val policies = l.checkup?.policies.orEmpty()
                    val uscc = l.company?.company?.uscc
                    it.copy(
                        loading = false, company = l.company, noCompany = l.company == null, checkup = l.checkup,
                        eligible = policies.filter { p -> p.verdict == Verdict.ELIGIBLE },
                        nearMisses = policies.filter { p -> p.verdict == Verdict.NEAR_MISS },
                        notEligible = policies.filter { p -> p.verdict == Verdict.NOT_ELIGIBLE },
                        saved = l.saved,
                        detail = it.detail?.takeIf { d -> d.uscc == uscc },
                        error = null,
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
        } ?: return Loaded(null, null, emptyList())
        val uscc = company.company.uscc
        val checkup = app.policies().checkup(uscc)
        return Loaded(company, checkup, savedOf(uscc, checkup.policies))
    }

    /** The saved rows, judged: from [judged] when listed there, else by the core's `check` (not an open). */
    private fun savedOf(uscc: String, judged: List<PolicyCheckView>): List<SavedPolicy> {
        val byId = judged.associateBy { it.policy.id }
        return app.policies().saved(uscc).map { id ->
            val check = byId[id] ?: try {
                app.policies().check(uscc, id)
            } catch (e: ZhuanshuException.NotFound) {
                null // withdrawn from the catalog
            }
            SavedPolicy(id, check)
        }
    }

    /**
     * The company acted for: the one on screen, which is what the owner means; the core's current company
     * when the tab has not loaded yet (a home item or a notification opened a policy directly).
     */
    private fun usccFor(shown: String?): String = shown ?: app.dossier().current().company.uscc

    /**
     * Opens policy [id] (a card, a saved row, a home item): the core records the read and judges the policy
     * today. Without a company the core's no-current-company error lands in `error`, as does its not-found
     * error for an id the catalog does not have.
     */
    fun open(id: String) {
        val shown = _state.value.company?.company?.uscc
        _state.update { it.copy(opening = id) }
        scheduler.call({
            val uscc = usccFor(shown)
            val check = app.policies().open(uscc, id)
            PolicyDetail(uscc, check, app.guide().forPolicy(id))
        }) { outcome ->
            // Closed, or another policy opened, while this one was loading: the owner has moved on.
            if (_state.value.opening != id) return@call
            when (outcome) {
                is Outcome.Ok -> _state.update { it.copy(opening = null, detail = outcome.value, error = null) }
                is Outcome.Failed -> _state.update { it.copy(opening = null, error = outcome.error) }
            }
        }
    }

    /** Back from a policy's page (or gives up one still loading). */
    fun close() = _state.update { it.copy(opening = null, detail = null) }

    /** 收藏. Saving twice changes nothing (the core's rule). */
    fun save(id: String) = changeSaved { uscc -> app.policies().save(uscc, id) }

    /** 取消收藏. */
    fun unsave(id: String) = changeSaved { uscc -> app.policies().unsave(uscc, id) }

    /** The star: saves or unsaves [id] as [PoliciesState.savedIds] shows it now. */
    fun toggleSave(id: String) = if (_state.value.isSaved(id)) unsave(id) else save(id)

    fun clearError() = _state.update { it.copy(error = null) }

    /**
     * One save or unsave, then the saved list reloaded from the core. Only the saved list: a save also
     * counts as interest, but re-ranking the checkup at once would move the card the owner just starred.
     */
    private fun changeSaved(action: (String) -> Unit) {
        val shown = _state.value.company?.company?.uscc
        val judged = _state.value.checkup?.policies.orEmpty()
        scheduler.call({
            val uscc = usccFor(shown)
            action(uscc)
            savedOf(uscc, judged)
        }) { outcome ->
            when (outcome) {
                is Outcome.Ok -> _state.update { it.copy(saved = outcome.value, error = null) }
                is Outcome.Failed -> _state.update { it.copy(error = outcome.error) }
            }
        }
    }
}
