import ArgumentParser

/// How the chat UI looks and behaves.
struct InterfaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Colour theme: default, light, solarized-dark, high-contrast, monochrome, or NAME.yaml from $XDG_CONFIG_HOME/pythia-chat/themes/. NO_COLOR forces monochrome.",
        valueName: "name"))
    var theme: String?

    @Flag(inversion: .prefixedNo, help: "Ring the terminal bell when someone mentions you or writes to you directly.")
    var bell = true

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Desktop notifications (OSC 777 / OSC 9) for mentions and direct messages; by default where the terminal is known to show them (iTerm2, kitty, ghostty, WezTerm, foot, rxvt-unicode)."))
    var notify: Bool?

    @Flag(inversion: .prefixedNo, help: "Use the mouse: the wheel scrolls, a click selects a channel.")
    var mouse = true
}
