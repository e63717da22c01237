/**
 * The workspace's Nx generators (a local plugin: `nx g @flow/generators:<generator>`, listed in generators.json).
 */
export { type ServiceGeneratorSchema, nextSteps, serviceGenerator, servicePaths } from './service/generator';
export { type ServiceNaming, serviceNaming } from './service/service-names';
