// 404: shown for any address the portal does not know.
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';

export function NotFound() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="Page not found"
      subTitle="If you typed the web address, check it is correct. If you pasted it, check you copied the entire address."
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          Go to the home page
        </Button>
      }
    />
  );
}
