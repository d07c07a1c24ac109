import '../core/zod-setup.ts';
import { mount } from 'svelte';
import EmbedApp from './EmbedApp.svelte';
import '../app/styles.css';

const target = document.getElementById('embed');
if (!target) throw new Error('Pluralscope widget: no #embed element');
mount(EmbedApp, { target });
