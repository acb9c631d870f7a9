import CryptoKit
import Foundation
import Security

/// The device secret on iOS: a random 256-bit HMAC key in the Keychain, readable only while the phone is
/// unlocked and only on this phone (`kSecAttrAccessibleWhenUnlockedThisDeviceOnly`, not synchronizable:
/// never in iCloud Keychain, never in a backup restored to another phone, not moved by Quick Start /
/// device-to-device transfer). The core asks it for one HMAC-SHA256 (CryptoKit) and mixes the result
/// into the PIN's key (`ZhuanshuApp.open(dataDir:fixedNow:deviceSecret:)`). No Face ID / passcode prompt:
/// the PIN is the owner's part, this is the device's.
///
/// What it protects: the vault's PIN wrapping cannot be guessed away from this phone. A copy of the app's
/// container (the data directory is also excluded from backups) holds no key to test PINs with, so a
/// six-digit PIN cannot be brute-forced offline; every guess goes through this phone and the core's
/// lockout.
///
/// What it does not protect: code running as this app on this phone, or someone with the unlocked phone
/// and a jailbreak, can read the key (or compute the one HMAC the core asks for) and take it away with the
/// data: then the PIN can be guessed offline after all. A new phone has no such key: the vault
/// then opens only with the recovery key (the core says so, `device_unavailable`), or moves with its own
/// encrypted backup.
///
/// Why not the Secure Enclave: the enclave's keys only sign (ECDSA, randomised, so not a repeatable
/// value) or agree (ECDH, repeatable only against a peer key whose private half would then have to live
/// outside the enclave, which gains nothing). So the key is an ordinary Keychain item, protected by the
/// data-protection class above; CryptoKit's `SymmetricKey` keeps its copy in memory it zeroes on release.
/// The bytes read from the Keychain are overwritten once the key is made (best effort: Swift's `Data` is
/// a value type and may have been copied by the runtime).
public final class KeychainDeviceSecret: DeviceSecret {
    private let service: String
    private let account: String
    private let lock = NSLock()

    public init(service: String = "cn.zhuanshu.device", account: String = "device-secret") {
        self.service = service
        self.account = account
    }

    public func derive(input: Data) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        let key = try loadKey() ?? createKey()
        return Data(HMAC<SHA256>.authenticationCode(for: input, using: key))
    }

    private func baseQuery() -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecAttrSynchronizable as String: kCFBooleanFalse as Any,
        ]
    }

    private func loadKey() throws -> SymmetricKey? {
        var query = baseQuery()
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var result: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        switch status {
        case errSecSuccess:
            guard var data = result as? Data, data.count == 32 else {
                throw KeyProviderError.Failed(reason: "the Keychain item is not a 256-bit key")
            }
            defer { data.resetBytes(in: 0..<data.count) }
            return SymmetricKey(data: data)
        case errSecItemNotFound:
            return nil
        case errSecInteractionNotAllowed:
            // The phone is locked: the item's protection class keeps it unreadable until it is unlocked.
            throw KeyProviderError.Unavailable(reason: "the device is locked")
        default:
            throw KeyProviderError.Failed(reason: "Keychain status \(status)")
        }
    }

    private func createKey() throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        var item = baseQuery()
        item[kSecValueData as String] = key.withUnsafeBytes { Data($0) }
        item[kSecAttrAccessible as String] = kSecAttrAccessibleWhenUnlockedThisDeviceOnly
        let status = SecItemAdd(item as CFDictionary, nil)
        switch status {
        case errSecSuccess:
            return key
        case errSecDuplicateItem:
            // Made meanwhile (another process of this app): that one is the device's key.
            guard let stored = try loadKey() else {
                throw KeyProviderError.Failed(reason: "the Keychain item vanished")
            }
            return stored
        default:
            throw KeyProviderError.Failed(reason: "Keychain add status \(status)")
        }
    }
}
