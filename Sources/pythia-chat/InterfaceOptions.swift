import ArgumentParser

struct InterfaceOptions: ParsableArguments {}
