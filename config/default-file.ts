/** The config file a command reads when neither `--config` nor COSELL_CONFIG names one. Its own module so
 * that `cosell --help` can show it without loading the config schema. */
export const DEFAULT_CONFIG_FILE = 'cosell.config.yaml';
