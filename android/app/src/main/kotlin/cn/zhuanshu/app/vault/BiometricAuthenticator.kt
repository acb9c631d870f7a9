package cn.zhuanshu.app.vault

import android.app.Activity
import android.app.Application
import android.os.Bundle
import android.os.Handler
import android.os.Looper
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import cn.zhuanshu.app.R
import cn.zhuanshu.model.Authenticator
import cn.zhuanshu.model.KeyUse
import java.lang.ref.WeakReference
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import javax.crypto.Cipher
import uniffi.zhuanshu.KeyProviderException

/**
 * The model's [Authenticator] on Android: BiometricPrompt with a `CryptoObject(cipher)` on the activity in
 * the foreground. The core calls the key provider on the view models' background thread; [approve] posts
 * the prompt to the main thread and blocks that background thread until the owner answers, then hands
 * back the cipher the Keystore authorised. Cancelled, failed, "用PIN码" or no activity to ask on: the
 * provider's `Unavailable`, which the core reports as a locked vault (and nothing unlocks).
 *
 * Registered for the application's activity callbacks in `ZhuanshuApplication.onCreate`, so it always
 * knows the resumed activity.
 */
class BiometricAuthenticator(application: Application) : Authenticator, Application.ActivityLifecycleCallbacks {
    private val main = Handler(Looper.getMainLooper())

    @Volatile
    private var resumed: WeakReference<FragmentActivity>? = null

    init {
        application.registerActivityLifecycleCallbacks(this)
    }

    override fun approve(cipher: Cipher, use: KeyUse): Cipher {
        if (Looper.myLooper() == Looper.getMainLooper()) {
            // The prompt answers on the main thread: waiting for it there would never end.
            throw KeyProviderException.Failed("the platform key was used on the main thread")
        }
        val answer = CompletableFuture<Cipher>()
        main.post { show(cipher, use, answer) }
        return try {
            answer.get(WAIT_MINUTES, TimeUnit.MINUTES)
        } catch (e: ExecutionException) {
            throw e.cause as? KeyProviderException ?: KeyProviderException.Failed(e.cause?.javaClass?.simpleName ?: "prompt failed")
        } catch (e: TimeoutException) {
            throw KeyProviderException.Unavailable("no answer from the owner")
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            throw KeyProviderException.Unavailable("interrupted")
        }
    }

    private fun show(cipher: Cipher, use: KeyUse, answer: CompletableFuture<Cipher>) {
        val activity = resumed?.get()
        if (activity == null || activity.isFinishing || activity.isDestroyed) {
            answer.completeExceptionally(KeyProviderException.Unavailable("no screen to ask on"))
            return
        }
        val callback = object : BiometricPrompt.AuthenticationCallback() {
            override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                val approved = result.cryptoObject?.cipher
                if (approved != null) {
                    answer.complete(approved)
                } else {
                    answer.completeExceptionally(KeyProviderException.Failed("the prompt returned no cipher"))
                }
            }

            override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                // Cancelled, too many tries (the platform's own lockout), the negative button, the app left.
                answer.completeExceptionally(KeyProviderException.Unavailable("prompt error $errorCode"))
            }
            // onAuthenticationFailed (a finger not recognised): the prompt stays up for another try.
        }
        val allowed = PlatformKey.authenticators
        val info = BiometricPrompt.PromptInfo.Builder()
            .setTitle(activity.getString(if (use == KeyUse.UNWRAP) R.string.vault_prompt_unlock else R.string.vault_prompt_bind))
            .setSubtitle(activity.getString(R.string.vault_prompt_subtitle))
            .setAllowedAuthenticators(allowed)
            .setConfirmationRequired(false)
            .apply { if (allowed and DEVICE_CREDENTIAL == 0) setNegativeButtonText(activity.getString(R.string.vault_prompt_use_pin)) }
            .build()
        try {
            BiometricPrompt(activity, ContextCompat.getMainExecutor(activity), callback)
                .authenticate(info, BiometricPrompt.CryptoObject(cipher))
        } catch (e: RuntimeException) {
            answer.completeExceptionally(KeyProviderException.Failed("prompt: ${e.javaClass.simpleName}"))
        }
    }

    override fun onActivityResumed(activity: Activity) {
        if (activity is FragmentActivity) resumed = WeakReference(activity)
    }

    // Kept while merely paused (the prompt itself pauses it); dropped once it is no longer visible.
    override fun onActivityStopped(activity: Activity) = forget(activity)

    override fun onActivityDestroyed(activity: Activity) = forget(activity)

    private fun forget(activity: Activity) {
        if (resumed?.get() === activity) resumed = null
    }

    override fun onActivityCreated(activity: Activity, savedInstanceState: Bundle?) = Unit
    override fun onActivityStarted(activity: Activity) = Unit
    override fun onActivityPaused(activity: Activity) = Unit
    override fun onActivitySaveInstanceState(activity: Activity, outState: Bundle) = Unit

    private companion object {
        /** The owner may take a while; after this the unlock gives up (and the PIN is offered). */
        const val WAIT_MINUTES = 5L
    }
}
