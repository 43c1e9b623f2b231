// The portal wired to Supabase: the real data provider and the browser's address bar.
import { BrowserRouter } from 'react-router';
import { Portal } from './portal.tsx';
import { createAuthProvider } from './providers/auth-provider.ts';
import { dataProvider } from './providers/data-provider.ts';
import { supabaseClient, supabaseSettings } from './providers/supabase-client.ts';
import { environmentLabel } from './providers/supabase-settings.ts';

const authProvider = createAuthProvider(supabaseClient, {
  afterConfirm: `${window.location.origin}/`,
  updatePassword: `${window.location.origin}/update-password`,
});

export function App() {
  return (
    <BrowserRouter>
      <Portal dataProvider={dataProvider} authProvider={authProvider} environment={environmentLabel(supabaseSettings.url)} />
    </BrowserRouter>
  );
}

export default App;
