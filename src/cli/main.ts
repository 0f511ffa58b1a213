// Command line entry point; commands are registered in src/cli/commands.
console.log('recovery-pbr');
