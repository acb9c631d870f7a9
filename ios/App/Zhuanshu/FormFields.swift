import SwiftUI
import ZhuanshuKit

/// The core's date texts (`2026-12-11`, `2026-12-11 09:30`) and the `Date` a picker holds, in Asia/Shanghai:
/// the core counts days there, so a phone set to another zone must not move a picked day by one.
enum CoreDate {
    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? .current
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c
    }()

    private static func formatter(_ format: String) -> DateFormatter {
        let f = DateFormatter()
        f.calendar = calendar
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = format
        return f
    }

    static let day = formatter("yyyy-MM-dd")
    static let minute = formatter("yyyy-MM-dd HH:mm")

    /// The typed text as a date, when it reads as one; otherwise nil (the picker then starts at today and
    /// the core says what is wrong with the text).
    static func parse(_ text: String, withTime: Bool) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if withTime, let d = minute.date(from: String(t.replacingOccurrences(of: "T", with: " ").prefix(16))) {
            return d
        }
        return day.date(from: t)
    }

    static func text(_ date: Date, withTime: Bool) -> String {
        (withTime ? minute : day).string(from: date)
    }

    /// The core's `2026-12-11T09:30:00` as the owner reads it: `2026-12-11 09:30`.
    static func shown(_ at: String) -> String {
        String(at.replacingOccurrences(of: "T", with: " ").prefix(16))
    }
}

/// The field's message from the core (`fieldErrors[key]`), under the field.
struct FieldMessage: View {
    let message: String?

    var body: some View {
        if let message = message {
            Text(message).font(.caption).foregroundColor(.red)
        }
    }
}

/// A labelled text field: the label stays above the text (a placeholder alone disappears once typed, and the
/// owner then no longer sees what the field was), with an optional hint and the core's message.
struct LabeledTextField: View {
    let label: String
    @Binding var text: String
    var prompt: String = ""
    var hint: String?
    let error: String?
    var secure = false
    var multiline = false

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(label).font(.subheadline).foregroundColor(.secondary)
            if secure {
                SecureField(prompt, text: $text)
            } else if multiline {
                TextField(prompt, text: $text, axis: .vertical).lineLimit(2...6)
            } else {
                TextField(prompt, text: $text)
            }
            if let hint = hint {
                Text(hint).font(.caption).foregroundColor(.secondary)
            }
            FieldMessage(message: error)
        }
    }
}

/// A date kept as the text the core reads, with a calendar that writes that text. The text stays editable
/// (an owner copying a date from a paper licence types faster than they scroll a calendar), and the core
/// alone decides whether it is valid: its message shows under the field.
struct DateTextField: View {
    let label: String
    @Binding var text: String
    let error: String?
    var withTime = false
    var hint: String?
    @State private var picking = false

    private var picked: Binding<Date> {
        Binding(
            get: { CoreDate.parse(text, withTime: withTime) ?? Date() },
            set: { date in
                text = CoreDate.text(date, withTime: withTime)
                if !withTime {
                    picking = false
                }
            }
        )
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(label).font(.subheadline).foregroundColor(.secondary)
            HStack {
                TextField(withTime ? "如 2026-12-11 09:30" : "如 2026-12-11", text: $text)
                    .keyboardType(.numbersAndPunctuation)
                    .autocorrectionDisabled()
                Button {
                    picking.toggle()
                } label: {
                    Image(systemName: picking ? "calendar.circle.fill" : "calendar")
                }
                .buttonStyle(.borderless)
                .accessibilityLabel(picking ? "收起日历" : "从日历选择")
            }
            if picking {
                DatePicker(label, selection: picked, displayedComponents: withTime ? [.date, .hourAndMinute] : [.date])
                    .datePickerStyle(.graphical)
                    .labelsHidden()
                    .environment(\.timeZone, CoreDate.zone)
                    .environment(\.calendar, CoreDate.calendar)
            }
            if let hint = hint {
                Text(hint).font(.caption).foregroundColor(.secondary)
            }
            FieldMessage(message: error)
        }
    }
}

/// Opens the vault where something needs it (a record's 查询密码, a licence's scans) with the platform key,
/// else the PIN, then calls `onUnlocked`: the owner keeps the form they typed instead of leaving for 证照夹.
/// A forgotten PIN or a new phone still goes through 证照夹 (the recovery key), which says so.
struct VaultUnlockPrompt: View {
    @ObservedObject var vault: VaultViewModel
    /// Why the vault is needed: the core's message when it refused, or the screen's own words.
    let reason: String
    let onUnlocked: () -> Void
    @State private var pin = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            SwiftUI.Label(reason, systemImage: "lock").font(.subheadline)
            if let status = vault.state.status {
                if status.unlocked {
                    // Unlocked meanwhile (in 证照夹, or before the page listed it): nothing to type.
                    Button("继续", action: onUnlocked).buttonStyle(.borderless)
                } else if !status.setUp {
                    Text("证照夹还没有设置。请先到“证照夹”设置PIN码。").font(.caption).foregroundColor(.secondary)
                } else if vault.state.needsPin || !status.hasKeyProvider {
                    SecureField("PIN码", text: $pin).keyboardType(.numberPad)
                    Button("用PIN码解锁") {
                        vault.unlock(pin: pin)
                        pin = ""
                    }
                    .buttonStyle(.borderless)
                } else {
                    Button("解锁证照夹", action: vault.unlock).buttonStyle(.borderless)
                }
            } else {
                ProgressView()
            }
            if let error = vault.state.error {
                Text(error.message).font(.caption).foregroundColor(.red)
            }
        }
        // The vault tab may never have been opened: its status is needed to offer the right way in.
        .onAppear(perform: vault.refresh)
        .onChange(of: vault.state.status?.unlocked) { unlocked in
            if unlocked == true {
                vault.clearError()
                onUnlocked()
            }
        }
    }
}
