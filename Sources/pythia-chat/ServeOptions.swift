import ArgumentParser

struct ServeOptions: ParsableArguments {}
