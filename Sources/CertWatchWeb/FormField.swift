/// One labelled input of a form page as the templates show it: what was typed, its hint, and
/// the refusal at it (`aria-describedby` names both).
struct FormField: Sendable {
    var name: String
    var label: String
    var value: String
    var hint: String?
    var error: String?
    var isDate: Bool
}
