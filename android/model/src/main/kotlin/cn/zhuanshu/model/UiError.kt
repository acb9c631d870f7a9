package cn.zhuanshu.model

import uniffi.zhuanshu_ffi.ZhuanshuException

/**
 * A failure as the screens show it: the core's Chinese message, plus per-field messages for forms.
 * [fields] is keyed by the core's issue path with any index removed (`tags[0]` -> `tags`), which is the
 * form field's key (see [CompanyField]).
 */
data class UiError(val message: String, val fields: Map<String, String> = emptyMap(), val kind: Kind = Kind.OTHER) {
    enum class Kind { INVALID, NOT_FOUND, ALREADY_EXISTS, NO_CURRENT_COMPANY, VAULT_LOCKED, OTHER }
}

/** The Chinese message every ZhuanshuException carries. */
val ZhuanshuException.userMessage: String
    get() = when (this) {
        is ZhuanshuException.Invalid -> userMessage
        is ZhuanshuException.NotFound -> userMessage
        is ZhuanshuException.AlreadyExists -> userMessage
        is ZhuanshuException.NoCurrentCompany -> userMessage
        is ZhuanshuException.BadFormat -> userMessage
        is ZhuanshuException.Storage -> userMessage
        is ZhuanshuException.VaultLocked -> userMessage
        is ZhuanshuException.WrongSecret -> userMessage
        is ZhuanshuException.Corrupt -> userMessage
        is ZhuanshuException.Sync -> userMessage
        is ZhuanshuException.Internal -> userMessage
    }

/** `tags[0]` -> `tags`, `answers.q1` stays; the first message per field wins. */
fun fieldKey(path: String): String = path.substringBefore('[')

fun ZhuanshuException.toUiError(): UiError = when (this) {
    is ZhuanshuException.Invalid -> UiError(
        userMessage,
        issues.fold(linkedMapOf<String, String>()) { m, issue -> m.apply { putIfAbsent(fieldKey(issue.path), issue.userMessage) } },
        UiError.Kind.INVALID,
    )
    is ZhuanshuException.NotFound -> UiError(userMessage, kind = UiError.Kind.NOT_FOUND)
    is ZhuanshuException.AlreadyExists -> UiError(userMessage, kind = UiError.Kind.ALREADY_EXISTS)
    is ZhuanshuException.NoCurrentCompany -> UiError(userMessage, kind = UiError.Kind.NO_CURRENT_COMPANY)
    is ZhuanshuException.VaultLocked -> UiError(userMessage, kind = UiError.Kind.VAULT_LOCKED)
    else -> UiError(userMessage)
}

/** Any throwable from a core call as a UiError; non-core failures get a generic Chinese message. */
fun Throwable.toUiError(): UiError =
    (this as? ZhuanshuException)?.toUiError() ?: UiError("出现了意外错误，请稍后重试")

/** The outcome of a core call run through [Scheduler.background]. */
sealed class Outcome<out T> {
    data class Ok<T>(val value: T) : Outcome<T>()
    data class Failed(val error: UiError) : Outcome<Nothing>()
}

/** Runs [work] in the background, catching every failure, and delivers the outcome on the UI thread. */
fun <T> Scheduler.call(work: () -> T, deliver: (Outcome<T>) -> Unit) =
    background({
        try {
            Outcome.Ok(work())
        } catch (e: Exception) {
            Outcome.Failed(e.toUiError())
        }
    }, deliver)
